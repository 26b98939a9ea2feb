// The checkout wizard: Shipping -> Delivery -> Payment (card iframe) -> Review. Each step is
// checked here for quick feedback; the server checks everything again on "Place Order".
(function () {
  'use strict';
  const form = document.getElementById('checkout-form');
  const errorBox = document.getElementById('checkout-error');
  const frame = document.querySelector('iframe.payment-frame');
  const placeButton = document.getElementById('place-order');
  const placeLabel = placeButton.textContent;
  const data = JSON.parse(document.getElementById('checkout-data').textContent);
  const steps = ['shipping', 'delivery', 'payment', 'review'];
  let paymentMethod = null;
  let requestSeq = 0;

  function el(id) {
    return document.getElementById(id);
  }
  function value(id) {
    return el(id).value.trim();
  }

  function showErrors(messages) {
    errorBox.textContent = '';
    if (messages.length === 0) {
      errorBox.hidden = true;
      return;
    }
    if (messages.length === 1) {
      errorBox.textContent = messages[0];
    } else {
      const intro = document.createElement('p');
      intro.textContent = 'Please fix the following:';
      const list = document.createElement('ul');
      messages.forEach(function (m) {
        const li = document.createElement('li');
        li.textContent = m;
        list.appendChild(li);
      });
      errorBox.append(intro, list);
    }
    errorBox.hidden = false;
  }

  function showStep(name) {
    const index = steps.indexOf(name);
    form.querySelectorAll('[data-step]').forEach(function (s) {
      s.hidden = s.dataset.step !== name;
    });
    document.querySelectorAll('[data-step-indicator]').forEach(function (li) {
      const i = steps.indexOf(li.dataset.stepIndicator);
      if (i === index) li.setAttribute('aria-current', 'step');
      else li.removeAttribute('aria-current');
      li.classList.toggle('done', i < index);
    });
    showErrors([]);
    const heading = form.querySelector('[data-step="' + name + '"] h2');
    if (heading) {
      heading.tabIndex = -1;
      heading.focus();
    }
  }

  function check(rules) {
    const messages = [];
    rules.forEach(function (rule) {
      const ok = rule[1];
      if (rule[0]) el(rule[0]).setAttribute('aria-invalid', ok ? 'false' : 'true');
      if (!ok) messages.push(rule[2]);
    });
    return messages;
  }

  function shippingErrors() {
    return check([
      ['fullName', value('fullName') !== '', 'Full name is required'],
      ['phone', value('phone').replace(/\D/g, '').length >= 10, 'Please enter a valid phone number'],
      ['street', value('street') !== '', 'Street address is required'],
      ['city', value('city') !== '', 'City is required'],
      ['state', /^[A-Za-z]{2}$/.test(value('state')), 'State must be a two-letter code'],
      ['zipCode', /^\d{5}$/.test(value('zipCode')), 'ZIP code must be five digits'],
    ]);
  }

  function selectedSlot() {
    const checked = form.querySelector('input[name="timeSlot"]:checked');
    return checked ? checked.value : '';
  }

  function deliveryErrors() {
    return check([
      ['preferredDate', /^\d{4}-\d{2}-\d{2}$/.test(value('preferredDate')), 'Please choose a delivery date'],
      [null, selectedSlot() !== '', 'Please choose a delivery time slot'],
    ]);
  }

  // Asks the card iframe to tokenise the card, as Stripe's confirm step does.
  function requestPaymentMethod() {
    return new Promise(function (resolve) {
      const id = ++requestSeq;
      const timer = window.setTimeout(function () {
        window.removeEventListener('message', onMessage);
        resolve({ ok: false, error: 'The payment form did not respond. Please try again.' });
      }, 15000);
      function onMessage(event) {
        if (event.origin !== location.origin || event.source !== frame.contentWindow) return;
        if (!event.data || event.data.type !== 'demo-pay:result' || event.data.id !== id) return;
        window.clearTimeout(timer);
        window.removeEventListener('message', onMessage);
        resolve(event.data);
      }
      window.addEventListener('message', onMessage);
      frame.contentWindow.postMessage({ type: 'demo-pay:confirm', id: id }, location.origin);
    });
  }

  function addDetail(list, term, text) {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = text;
    list.append(dt, dd);
  }

  function renderReview() {
    const list = el('review-details');
    list.textContent = '';
    const slot = data.timeSlots.find(function (s) {
      return s.value === selectedSlot();
    });
    addDetail(
      list,
      'Ship to',
      value('fullName') +
        ', ' +
        value('street') +
        ', ' +
        value('city') +
        ', ' +
        value('state').toUpperCase() +
        ' ' +
        value('zipCode'),
    );
    addDetail(list, 'Phone', value('phone'));
    addDetail(list, 'Delivery', value('preferredDate') + ', ' + (slot ? slot.label : ''));
    addDetail(list, 'Payment', paymentMethod.brand.toUpperCase() + ' ending in ' + paymentMethod.last4);
  }

  async function next(target, button) {
    let messages = [];
    if (target === 'delivery') messages = shippingErrors();
    if (target === 'payment') messages = deliveryErrors();
    if (target === 'review') {
      button.disabled = true;
      const result = await requestPaymentMethod();
      button.disabled = false;
      if (result.ok) paymentMethod = result.paymentMethod;
      else messages = [result.error];
    }
    if (messages.length > 0) {
      showErrors(messages);
      return;
    }
    if (target === 'review') renderReview();
    showStep(target);
  }

  async function placeOrder() {
    if (!el('agreeToTerms').checked) {
      showErrors(['Please accept the terms to place your order']);
      return;
    }
    placeButton.disabled = true;
    placeButton.textContent = 'Placing order…';
    try {
      const response = await fetch('/api/orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({
          shipping: {
            fullName: value('fullName'),
            phone: value('phone'),
            street: value('street'),
            city: value('city'),
            state: value('state'),
            zipCode: value('zipCode'),
          },
          delivery: {
            preferredDate: value('preferredDate'),
            timeSlot: selectedSlot(),
            instructions: value('deliveryInstructions'),
          },
          paymentMethodId: paymentMethod && paymentMethod.id,
          agreeToTerms: true,
        }),
      });
      const body = await response.json().catch(function () {
        return {};
      });
      if (response.ok && body.success) {
        location.assign('/orders/' + encodeURIComponent(body.data.id) + '/confirmation');
        return;
      }
      if (response.status === 401) {
        location.assign('/login?callbackUrl=%2Fcheckout');
        return;
      }
      showErrors([response.status >= 500 ? data.placeOrderErrorMessage : body.error || data.placeOrderErrorMessage]);
    } catch {
      showErrors([data.placeOrderErrorMessage]);
    }
    placeButton.disabled = false;
    placeButton.textContent = placeLabel;
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
  });
  form.addEventListener('click', function (event) {
    const button = event.target instanceof window.Element ? event.target.closest('button') : null;
    if (!button) return;
    if (button.dataset.next) void next(button.dataset.next, button);
    else if (button.dataset.back) showStep(button.dataset.back);
    else if (button === placeButton) void placeOrder();
  });
})();
