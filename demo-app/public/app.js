// Shared by every page: refreshes the header from /api/auth/session and /api/cart (as the
// platform's session provider does, which also gives the monitor API timings on every page)
// and wires the "Add to Cart" buttons.
(function () {
  'use strict';
  const alternate = document.body.dataset.face === 'alternate';
  let cartLink = document.getElementById('cart-link');
  let cartCount = document.getElementById('cart-count');
  const toast = document.getElementById('toast');
  let toastTimer;
  // Bumped by every add, so a slow header refresh never overwrites a newer count.
  let cartVersion = 0;

  // The alternate face: the indicator is a link while the cart is empty, a button once it holds items.
  function swapIndicator(count) {
    const wanted = count === 0 ? 'A' : 'BUTTON';
    if (cartLink.tagName === wanted) return;
    const next = document.createElement(wanted === 'A' ? 'a' : 'button');
    if (wanted === 'A') next.setAttribute('href', '/cart');
    else next.type = 'button';
    next.id = 'cart-link';
    next.className = cartLink.className;
    next.append('🛒 ', cartCount);
    cartLink.replaceWith(next);
    cartLink = next;
  }

  function setCount(count) {
    if (!cartLink || !cartCount) return;
    cartCount.textContent = String(count);
    if (alternate) {
      swapIndicator(count);
      cartLink.setAttribute('aria-label', 'Shopping cart with ' + count + (count === 1 ? ' item' : ' items'));
    } else {
      cartLink.setAttribute('aria-label', 'Cart (' + count + (count === 1 ? ' item)' : ' items)'));
    }
  }

  // Toasts on the alternate face are decorated and brief, as some releases show them.
  function showToast(message, isError) {
    if (!toast) return;
    window.clearTimeout(toastTimer);
    toast.classList.toggle('toast-error', Boolean(isError));
    toast.textContent = alternate ? (isError ? '⚠️ ' : '✅ ') + message : message;
    toastTimer = window.setTimeout(
      function () {
        toast.textContent = '';
      },
      alternate ? 1500 : 6000,
    );
  }

  async function refreshHeader() {
    const version = cartVersion;
    try {
      const sessionResponse = await fetch('/api/auth/session', { headers: { accept: 'application/json' } });
      const session = await sessionResponse.json();
      if (!session || !session.user) return;
      const cartResponse = await fetch('/api/cart', { headers: { accept: 'application/json' } });
      if (!cartResponse.ok) return;
      const cart = await cartResponse.json();
      if (version === cartVersion) setCount(cart.data.count);
    } catch {
      // The server-rendered count stays; the header is only refreshed, never required.
    }
  }

  async function addToCart(button) {
    const quantityInput = document.getElementById('quantity');
    const quantity = quantityInput ? Math.max(1, Number.parseInt(quantityInput.value, 10) || 1) : 1;
    button.disabled = true;
    try {
      const response = await fetch('/api/cart', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ productId: button.dataset.addToCart, quantity: quantity }),
      });
      if (response.status === 401) {
        location.assign('/login?callbackUrl=' + encodeURIComponent(location.pathname + location.search));
        return;
      }
      const body = await response.json();
      if (!response.ok || !body.success) throw new Error(body.error || 'Request failed');
      cartVersion += 1;
      setCount(body.data.count);
      showToast('Added to cart', false);
    } catch {
      showToast('Could not add to cart. Please try again.', true);
    } finally {
      button.disabled = false;
    }
  }

  document.addEventListener('click', function (event) {
    const indicator = event.target instanceof window.Element ? event.target.closest('button#cart-link') : null;
    if (indicator) {
      location.assign('/cart');
      return;
    }
    const button = event.target instanceof window.Element ? event.target.closest('[data-add-to-cart]') : null;
    if (button) void addToCart(button);
  });
  // Rendered disabled so that a click before this script runs cannot be lost.
  document.querySelectorAll('[data-add-to-cart]').forEach(function (button) {
    button.disabled = false;
  });
  void refreshHeader();
  if (alternate && document.querySelector('[data-add-to-cart]'))
    showToast('Free delivery on orders over $30 this week', false);
})();
