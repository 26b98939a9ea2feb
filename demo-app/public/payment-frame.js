// Runs inside the card iframe. Like Stripe's Payment Element, the card details never reach
// the host page: the host asks for a payment method and gets back only an id and last4.
(function () {
  'use strict';
  const number = document.getElementById('cardNumber');
  const expiry = document.getElementById('cardExpiry');
  const cvc = document.getElementById('cardCvc');
  const errorText = document.getElementById('card-error');
  const inputs = { number: number, expiry: expiry, cvc: cvc };

  number.addEventListener('input', function () {
    const digits = number.value.replace(/\D/g, '').slice(0, 19);
    const grouped = digits.replace(/(\d{4})(?=\d)/g, '$1 ');
    if (grouped !== number.value) number.value = grouped;
  });

  function showError(field, message) {
    Object.keys(inputs).forEach(function (key) {
      inputs[key].setAttribute('aria-invalid', key === field ? 'true' : 'false');
    });
    errorText.textContent = message || '';
  }

  async function confirmCard() {
    try {
      const response = await fetch('/api/payments/methods', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ number: number.value, expiry: expiry.value, cvc: cvc.value }),
      });
      const body = await response.json();
      if (response.ok && body.success) {
        showError(null, '');
        return { ok: true, paymentMethod: body.data };
      }
      showError(body.field, body.error);
      return { ok: false, error: body.error || 'Your payment details could not be processed.' };
    } catch {
      return { ok: false, error: 'Your payment details could not be processed.' };
    }
  }

  window.addEventListener('message', async function (event) {
    if (event.origin !== location.origin || event.source !== parent) return;
    if (!event.data || event.data.type !== 'demo-pay:confirm') return;
    const result = await confirmCard();
    parent.postMessage(Object.assign({ type: 'demo-pay:result', id: event.data.id }, result), location.origin);
  });
  document.getElementById('card-form').addEventListener('submit', function (event) {
    event.preventDefault();
  });
})();
