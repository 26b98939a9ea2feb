// A stand-in for Stripe test mode: the test card 4242 4242 4242 4242 is accepted, any other
// well-formed card is declined, and malformed input gets Stripe's own wording.

export type CardResult =
  | { ok: true; brand: string; last4: string }
  | { ok: false; status: 400 | 402; field: 'number' | 'expiry' | 'cvc'; error: string };

export const acceptedTestCard = '4242424242424242';

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function brandOf(digits: string): string {
  if (digits.startsWith('4')) return 'visa';
  if (/^5[1-5]/.test(digits) || /^2[2-7]/.test(digits)) return 'mastercard';
  if (/^3[47]/.test(digits)) return 'amex';
  return 'unknown';
}

/** Accepts "12 / 34", "12/34", "1234", "12/2034" and similar. */
export function parseExpiry(text: string): { month: number; year: number } | undefined {
  const digits = text.replace(/\D/g, '');
  let month: number;
  let year: number;
  if (digits.length === 4) {
    month = Number(digits.slice(0, 2));
    year = 2000 + Number(digits.slice(2));
  } else if (digits.length === 6) {
    month = Number(digits.slice(0, 2));
    year = Number(digits.slice(2));
  } else {
    return undefined;
  }
  return month >= 1 && month <= 12 ? { month, year } : undefined;
}

export function checkCard(number: string, expiry: string, cvc: string, now: Date = new Date()): CardResult {
  const digits = number.replace(/[\s-]/g, '');
  if (!/^\d+$/.test(digits) || digits.length < 13) {
    return { ok: false, status: 400, field: 'number', error: 'Your card number is incomplete.' };
  }
  if (digits.length > 19 || !luhnValid(digits)) {
    return { ok: false, status: 400, field: 'number', error: 'Your card number is invalid.' };
  }
  const exp = parseExpiry(expiry);
  if (!exp) return { ok: false, status: 400, field: 'expiry', error: "Your card's expiration date is incomplete." };
  // A card is valid through the last day of its expiry month.
  if (new Date(Date.UTC(exp.year, exp.month, 1)).getTime() <= now.getTime()) {
    return { ok: false, status: 400, field: 'expiry', error: "Your card's expiration year is in the past." };
  }
  if (!/^\d{3,4}$/.test(cvc.trim())) {
    return { ok: false, status: 400, field: 'cvc', error: "Your card's security code is incomplete." };
  }
  if (digits !== acceptedTestCard) {
    return { ok: false, status: 402, field: 'number', error: 'Your card was declined.' };
  }
  return { ok: true, brand: brandOf(digits), last4: digits.slice(-4) };
}
