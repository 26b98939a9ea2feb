// The platform's basic seed as far as the monitor relies on it: the two monitor accounts
// (TARGET.md), a few approved farms and a dozen products with stable ids and slugs.
import type { Farm, Product, User } from './store.ts';

type SeedUser = Omit<User, 'status' | 'createdAt'>;
type SeedFarm = Omit<Farm, 'createdAt'>;

export const seedUsers: readonly SeedUser[] = [
  { id: 'cuser0consumer0000000001', name: 'Jane Consumer', email: 'consumer@example.com', password: 'Consumer123!', phone: '+1 555 0100', role: 'CONSUMER' },
  { id: 'cuser0farmer000000000001', name: 'John Farmer', email: 'farmer1@example.com', password: 'Farmer123!', phone: '+1 555 0101', role: 'FARMER' },
  { id: 'cuser0farmer000000000002', name: 'Maria Green', email: 'farmer2@example.com', password: 'Farmer123!', phone: '+1 555 0102', role: 'FARMER' },
  { id: 'cuser0farmer000000000003', name: 'Sam Orchard', email: 'farmer3@example.com', password: 'Farmer123!', phone: '+1 555 0103', role: 'FARMER' },
];

export const seedFarms: readonly SeedFarm[] = [
  {
    id: 'cfarm0sunrise00000000001', slug: 'sunrise-valley-farm', name: 'Sunrise Valley Farm',
    description: 'Family-run vegetable farm growing heirloom varieties without synthetic pesticides since 1987.',
    ownerId: 'cuser0farmer000000000001', street: '1200 Valley Road', city: 'Sacramento', state: 'CA', zipCode: '95814',
    latitude: 38.5816, longitude: -121.4944, status: 'ACTIVE',
  },
  {
    id: 'cfarm0greenacres0000001', slug: 'green-acres-organic', name: 'Green Acres Organic',
    description: 'Certified organic greens, berries and pasture-raised eggs from the Willamette Valley.',
    ownerId: 'cuser0farmer000000000002', street: '88 Meadow Lane', city: 'Portland', state: 'OR', zipCode: '97201',
    latitude: 45.5152, longitude: -122.6784, status: 'ACTIVE',
  },
  {
    id: 'cfarm0heritage000000001', slug: 'heritage-orchard', name: 'Heritage Orchard',
    description: 'Apples, stone fruit and raw honey from a fourth-generation orchard and apiary.',
    ownerId: 'cuser0farmer000000000003', street: '4 Orchard Way', city: 'Hood River', state: 'OR', zipCode: '97031',
    latitude: 45.7054, longitude: -121.5215, status: 'ACTIVE',
  },
  {
    id: 'cfarm0prairie000000001', slug: 'prairie-creek-dairy', name: 'Prairie Creek Dairy',
    description: 'Small-batch cheeses and butter from grass-fed goats and cows.',
    ownerId: 'cuser0farmer000000000001', street: '310 Creek Road', city: 'Madison', state: 'WI', zipCode: '53703',
    latitude: 43.0731, longitude: -89.4012, status: 'ACTIVE',
  },
];

const sunrise = 'cfarm0sunrise00000000001';
const green = 'cfarm0greenacres0000001';
const heritage = 'cfarm0heritage000000001';
const prairie = 'cfarm0prairie000000001';

export const seedProducts: readonly Product[] = [
  { id: 'cprod00000000000000000001', slug: 'organic-heirloom-tomatoes', name: 'Organic Heirloom Tomatoes', description: 'Vine-ripened Brandywine and Cherokee Purple tomatoes, picked the morning of delivery.', priceCents: 499, unit: 'lb', category: 'Vegetables', organic: true, farmId: sunrise, quantityAvailable: 120 },
  { id: 'cprod00000000000000000002', slug: 'rainbow-carrots', name: 'Rainbow Carrots', description: 'Sweet purple, yellow and orange carrots with their tops on.', priceCents: 349, unit: 'bunch', category: 'Vegetables', organic: true, farmId: sunrise, quantityAvailable: 80 },
  { id: 'cprod00000000000000000003', slug: 'sweet-corn', name: 'Sweet Corn', description: 'Bicolour sweet corn, best eaten the day it is picked.', priceCents: 75, unit: 'ear', category: 'Vegetables', organic: false, farmId: sunrise, quantityAvailable: 300 },
  { id: 'cprod00000000000000000004', slug: 'russet-potatoes', name: 'Russet Potatoes', description: 'Floury potatoes for baking and mashing, stored in our cool barn.', priceCents: 199, unit: 'lb', category: 'Vegetables', organic: false, farmId: sunrise, quantityAvailable: 400 },
  { id: 'cprod00000000000000000005', slug: 'baby-spinach', name: 'Baby Spinach', description: 'Tender baby spinach leaves, washed and ready to eat.', priceCents: 399, unit: 'bag', category: 'Vegetables', organic: true, farmId: green, quantityAvailable: 60 },
  { id: 'cprod00000000000000000006', slug: 'fresh-strawberries', name: 'Fresh Strawberries', description: 'Hood and Shuksan strawberries, small and intensely sweet.', priceCents: 599, unit: 'pint', category: 'Fruits', organic: true, farmId: green, quantityAvailable: 50 },
  { id: 'cprod00000000000000000007', slug: 'blueberries', name: 'Blueberries', description: 'Plump highbush blueberries from organic bushes.', priceCents: 699, unit: 'pint', category: 'Fruits', organic: true, farmId: green, quantityAvailable: 45 },
  { id: 'cprod00000000000000000008', slug: 'free-range-eggs', name: 'Free-Range Eggs', description: 'Brown eggs from hens that roam our pastures all day.', priceCents: 650, unit: 'dozen', category: 'Eggs & Dairy', organic: true, farmId: green, quantityAvailable: 40 },
  { id: 'cprod00000000000000000009', slug: 'honeycrisp-apples', name: 'Honeycrisp Apples', description: 'Crisp, juicy apples from our oldest trees.', priceCents: 299, unit: 'lb', category: 'Fruits', organic: false, farmId: heritage, quantityAvailable: 200 },
  { id: 'cprod00000000000000000010', slug: 'raw-wildflower-honey', name: 'Raw Wildflower Honey', description: 'Unfiltered honey from hives among the orchard wildflowers.', priceCents: 1200, unit: 'jar', category: 'Pantry', organic: false, farmId: heritage, quantityAvailable: 30 },
  { id: 'cprod00000000000000000011', slug: 'fresh-basil', name: 'Fresh Basil', description: 'Genovese basil, fragrant and perfect for pesto.', priceCents: 250, unit: 'bunch', category: 'Herbs', organic: true, farmId: sunrise, quantityAvailable: 70 },
  { id: 'cprod00000000000000000012', slug: 'artisan-goat-cheese', name: 'Artisan Goat Cheese', description: 'Fresh chèvre rolled in herbs, made in small batches.', priceCents: 850, unit: '8 oz', category: 'Eggs & Dairy', organic: false, farmId: prairie, quantityAvailable: 25 },
];
