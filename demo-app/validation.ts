// Input rules the platform enforces (TARGET.md). Each validator returns field -> message so
// forms can show the message next to the field and in one summary at the top.
import type { DeliveryChoice, ShippingAddress } from './store.ts';

export type FieldErrors = Record<string, string>;

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function passwordProblem(password: string): string | undefined {
  if (password.length < 8 || !/[A-Z]/.test(password) || !/[a-z]/.test(password) || !/\d/.test(password)) {
    return 'Password must be at least 8 characters and contain an uppercase letter, a lowercase letter and a number';
  }
  return undefined;
}

export interface RegistrationInput {
  role: 'customer' | 'farmer';
  name: string;
  email: string;
  phone: string;
  password: string;
  confirmPassword: string;
  farmName: string;
  farmAddress: string;
  farmDescription: string;
  agreeToTerms: boolean;
}

export function validateRegistration(input: RegistrationInput): FieldErrors {
  const errors: FieldErrors = {};
  if (input.name.trim().split(/\s+/).filter(Boolean).length < 2) errors.name = 'Please enter your first and last name';
  if (!emailPattern.test(input.email.trim())) errors.email = 'Please enter a valid email address';
  if (input.phone.trim() !== '' && input.phone.replace(/\D/g, '').length < 10)
    errors.phone = 'Please enter a valid phone number';
  const pw = passwordProblem(input.password);
  if (pw) errors.password = pw;
  if (input.confirmPassword !== input.password) errors.confirmPassword = 'Passwords do not match';
  if (input.role === 'farmer') {
    if (input.farmName.trim().length < 3) errors.farmName = 'Farm name must be at least 3 characters';
    if (input.farmAddress.trim().length < 5) errors.farmAddress = 'Please enter your farm address';
  }
  if (!input.agreeToTerms) errors.agreeToTerms = 'You must agree to the terms and conditions';
  return errors;
}

export interface FarmInput {
  name: string;
  description: string;
  street: string;
  city: string;
  state: string;
  zipCode: string;
  latitude: string;
  longitude: string;
}

function coordinate(text: string, limit: number): number | undefined {
  if (text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) && Math.abs(value) <= limit ? value : Number.NaN;
}

export function validateFarm(input: FarmInput): FieldErrors {
  const errors: FieldErrors = {};
  const name = input.name.trim();
  if (name.length < 3 || name.length > 100) errors.name = 'Farm name must be between 3 and 100 characters';
  const description = input.description.trim();
  if (description.length < 20 || description.length > 2000)
    errors.description = 'Description must be between 20 and 2,000 characters';
  if (input.street.trim() === '') errors.street = 'Street address is required';
  if (input.city.trim() === '') errors.city = 'City is required';
  if (!/^[A-Za-z]{2}$/.test(input.state.trim())) errors.state = 'State must be a two-letter code (e.g. CA)';
  if (!/^\d{5}$/.test(input.zipCode.trim())) errors.zipCode = 'ZIP code must be five digits';
  const lat = coordinate(input.latitude, 90);
  if (lat === undefined) errors.latitude = 'Latitude is required';
  else if (Number.isNaN(lat)) errors.latitude = 'Latitude must be a number between -90 and 90';
  const lng = coordinate(input.longitude, 180);
  if (lng === undefined) errors.longitude = 'Longitude is required';
  else if (Number.isNaN(lng)) errors.longitude = 'Longitude must be a number between -180 and 180';
  return errors;
}

export const timeSlots = [
  { value: 'morning', label: 'Morning (8:00 AM - 12:00 PM)' },
  { value: 'afternoon', label: 'Afternoon (12:00 PM - 4:00 PM)' },
  { value: 'evening', label: 'Evening (4:00 PM - 8:00 PM)' },
] as const;

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

export function parseShipping(raw: unknown): { value: ShippingAddress; errors: FieldErrors } {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const value: ShippingAddress = {
    fullName: text(r.fullName),
    phone: text(r.phone),
    street: text(r.street),
    city: text(r.city),
    state: text(r.state).toUpperCase(),
    zipCode: text(r.zipCode),
  };
  const errors: FieldErrors = {};
  if (value.fullName === '') errors.fullName = 'Full name is required';
  if (value.phone.replace(/\D/g, '').length < 10) errors.phone = 'Please enter a valid phone number';
  if (value.street === '') errors.street = 'Street address is required';
  if (value.city === '') errors.city = 'City is required';
  if (!/^[A-Z]{2}$/.test(value.state)) errors.state = 'State must be a two-letter code';
  if (!/^\d{5}$/.test(value.zipCode)) errors.zipCode = 'ZIP code must be five digits';
  return { value, errors };
}

export function parseDelivery(raw: unknown, now: Date = new Date()): { value: DeliveryChoice; errors: FieldErrors } {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const value: DeliveryChoice = {
    preferredDate: text(r.preferredDate),
    timeSlot: text(r.timeSlot),
    instructions: text(r.instructions),
  };
  const errors: FieldErrors = {};
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value.preferredDate)
    ? new Date(`${value.preferredDate}T00:00:00Z`)
    : undefined;
  // One day of slack: the browser picks "today" in its own time zone, which may be behind UTC.
  const yesterday = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
  if (!date || Number.isNaN(date.getTime())) errors.preferredDate = 'Please choose a delivery date';
  else if (value.preferredDate < yesterday) errors.preferredDate = 'Delivery date cannot be in the past';
  if (!timeSlots.some((s) => s.value === value.timeSlot)) errors.timeSlot = 'Please choose a delivery time slot';
  return { value, errors };
}
