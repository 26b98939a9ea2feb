// All demo state lives in memory and starts from the seed on every start: the monitor's
// journeys create users, farms and orders over and over, and a restart is the reset.
import { randomBytes } from 'node:crypto';
import { seedFarms, seedProducts, seedUsers } from './seed.ts';

export type Role = 'CONSUMER' | 'FARMER';

export interface User {
  id: string;
  name: string;
  email: string;
  /** Plain text on purpose: a stand-in app with seeded test accounts only. */
  password: string;
  phone: string;
  role: Role;
  status: 'ACTIVE';
  createdAt: Date;
}

export interface Farm {
  id: string;
  slug: string;
  name: string;
  description: string;
  ownerId: string;
  street: string;
  city: string;
  state: string;
  zipCode: string;
  latitude: number | null;
  longitude: number | null;
  status: 'PENDING' | 'ACTIVE';
  createdAt: Date;
}

export interface Product {
  id: string;
  slug: string;
  name: string;
  description: string;
  /** Whole cents, so totals never drift. */
  priceCents: number;
  unit: string;
  category: string;
  organic: boolean;
  farmId: string;
  quantityAvailable: number;
}

export interface Session {
  token: string;
  userId: string;
  expires: Date;
}

export interface CartLine {
  product: Product;
  farm: Farm;
  quantity: number;
  lineCents: number;
}

export interface PaymentMethod {
  id: string;
  userId: string;
  brand: string;
  last4: string;
}

export interface ShippingAddress {
  fullName: string;
  phone: string;
  street: string;
  city: string;
  state: string;
  zipCode: string;
}

export interface DeliveryChoice {
  preferredDate: string;
  timeSlot: string;
  instructions: string;
}

export interface Order {
  id: string;
  orderNumber: string;
  userId: string;
  lines: { productId: string; name: string; farmName: string; unit: string; priceCents: number; quantity: number }[];
  subtotalCents: number;
  deliveryFeeCents: number;
  totalCents: number;
  shipping: ShippingAddress;
  delivery: DeliveryChoice;
  payment: { brand: string; last4: string };
  status: 'CONFIRMED';
  createdAt: Date;
}

export const deliveryFeeCents = 500;
const sessionDays = 30;

/** cuid-like ids, as the platform's Prisma models use. */
export function newId(): string {
  return 'c' + randomBytes(12).toString('hex').slice(0, 24);
}

export function slugify(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'farm'
  );
}

export class Store {
  readonly users = new Map<string, User>();
  readonly farms = new Map<string, Farm>();
  readonly products = new Map<string, Product>();
  readonly sessions = new Map<string, Session>();
  readonly carts = new Map<string, Map<string, number>>();
  readonly paymentMethods = new Map<string, PaymentMethod>();
  readonly orders = new Map<string, Order>();

  constructor() {
    const now = new Date();
    for (const u of seedUsers) this.users.set(u.id, { ...u, status: 'ACTIVE', createdAt: now });
    for (const f of seedFarms) this.farms.set(f.id, { ...f, createdAt: now });
    for (const p of seedProducts) this.products.set(p.id, { ...p });
  }

  findUserByEmail(email: string): User | undefined {
    const wanted = email.trim().toLowerCase();
    for (const user of this.users.values()) if (user.email === wanted) return user;
    return undefined;
  }

  createUser(input: Omit<User, 'id' | 'status' | 'createdAt'>): User {
    const user: User = {
      ...input,
      email: input.email.trim().toLowerCase(),
      id: newId(),
      status: 'ACTIVE',
      createdAt: new Date(),
    };
    this.users.set(user.id, user);
    return user;
  }

  createSession(userId: string): Session {
    const session: Session = {
      token: randomBytes(32).toString('base64url'),
      userId,
      expires: new Date(Date.now() + sessionDays * 86_400_000),
    };
    this.sessions.set(session.token, session);
    return session;
  }

  findSession(token: string | undefined): { session: Session; user: User } | undefined {
    if (!token) return undefined;
    const session = this.sessions.get(token);
    if (!session) return undefined;
    if (session.expires.getTime() < Date.now()) {
      this.sessions.delete(token);
      return undefined;
    }
    const user = this.users.get(session.userId);
    return user ? { session, user } : undefined;
  }

  createFarm(input: Omit<Farm, 'id' | 'slug' | 'status' | 'createdAt'>): Farm {
    const base = slugify(input.name);
    let slug = base;
    for (let n = 2; [...this.farms.values()].some((f) => f.slug === slug); n++) slug = `${base}-${n}`;
    const farm: Farm = { ...input, id: newId(), slug, status: 'PENDING', createdAt: new Date() };
    this.farms.set(farm.id, farm);
    return farm;
  }

  farmsOwnedBy(userId: string): Farm[] {
    return [...this.farms.values()].filter((f) => f.ownerId === userId);
  }

  farmOf(product: Product): Farm {
    const farm = this.farms.get(product.farmId);
    if (!farm) throw new Error(`product ${product.slug} has no farm`);
    return farm;
  }

  /** Case-insensitive search over name, description, category and farm name. */
  searchProducts(term: string): Product[] {
    const needle = term.trim().toLowerCase();
    const all = [...this.products.values()];
    if (needle === '') return all;
    return all.filter((p) =>
      [p.name, p.description, p.category, this.farmOf(p).name].some((text) => text.toLowerCase().includes(needle)),
    );
  }

  productBySlug(slug: string): Product | undefined {
    for (const product of this.products.values()) if (product.slug === slug) return product;
    return undefined;
  }

  addToCart(userId: string, productId: string, quantity: number): void {
    const cart = this.carts.get(userId) ?? new Map<string, number>();
    cart.set(productId, Math.min(99, (cart.get(productId) ?? 0) + quantity));
    this.carts.set(userId, cart);
  }

  removeFromCart(userId: string, productId: string): void {
    this.carts.get(userId)?.delete(productId);
  }

  cartLines(userId: string): CartLine[] {
    const lines: CartLine[] = [];
    for (const [productId, quantity] of this.carts.get(userId) ?? []) {
      const product = this.products.get(productId);
      if (product)
        lines.push({ product, farm: this.farmOf(product), quantity, lineCents: product.priceCents * quantity });
    }
    return lines;
  }

  cartCount(userId: string): number {
    let count = 0;
    for (const quantity of this.carts.get(userId)?.values() ?? []) count += quantity;
    return count;
  }

  savePaymentMethod(input: Omit<PaymentMethod, 'id'>): PaymentMethod {
    const method: PaymentMethod = { ...input, id: 'pm_' + randomBytes(12).toString('hex') };
    this.paymentMethods.set(method.id, method);
    return method;
  }

  placeOrder(userId: string, shipping: ShippingAddress, delivery: DeliveryChoice, payment: PaymentMethod): Order {
    const lines = this.cartLines(userId);
    const subtotalCents = lines.reduce((sum, l) => sum + l.lineCents, 0);
    const today = new Date().toISOString().slice(0, 10).replaceAll('-', '');
    const order: Order = {
      id: newId(),
      orderNumber: `ORD-${today}-${randomBytes(3).toString('hex').toUpperCase()}`,
      userId,
      lines: lines.map((l) => ({
        productId: l.product.id,
        name: l.product.name,
        farmName: l.farm.name,
        unit: l.product.unit,
        priceCents: l.product.priceCents,
        quantity: l.quantity,
      })),
      subtotalCents,
      deliveryFeeCents,
      totalCents: subtotalCents + deliveryFeeCents,
      shipping,
      delivery,
      payment: { brand: payment.brand, last4: payment.last4 },
      status: 'CONFIRMED',
      createdAt: new Date(),
    };
    this.orders.set(order.id, order);
    this.carts.delete(userId);
    return order;
  }
}

export function formatPrice(cents: number): string {
  return `$${(cents / 100).toFixed(2)}`;
}
