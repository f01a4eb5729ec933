// Company, domain and person names for generated tenants: plausible B2B clients and the account managers who own them.
import type { Random } from "../random.js";

const stems = [
  "Northwind",
  "Bluefin",
  "Cedar",
  "Granite",
  "Harbor",
  "Ironwood",
  "Juniper",
  "Keystone",
  "Lakeside",
  "Maple",
  "Meridian",
  "Nimbus",
  "Oakridge",
  "Pinnacle",
  "Quarry",
  "Redwood",
  "Summit",
  "Tidewater",
  "Upland",
  "Vantage",
  "Westfield",
  "Yellowstone",
  "Zenith",
  "Aurora",
  "Beacon",
  "Copperleaf",
  "Driftwood",
  "Evergreen",
  "Foxglove",
  "Goldcrest",
  "Highland",
  "Indigo",
  "Jasper",
  "Kestrel",
  "Larkspur",
  "Mosaic",
  "Northstar",
  "Orchard",
  "Pioneer",
  "Quillon",
  "Riverbend",
  "Silverline",
  "Trailhead",
  "Unity",
  "Vertex",
  "Willow",
  "Alder",
  "Brightwater",
  "Crescent",
] as const;
const trades = [
  "Analytics",
  "Logistics",
  "Health",
  "Robotics",
  "Payments",
  "Learning",
  "Energy",
  "Foods",
  "Media",
  "Security",
  "Software",
  "Labs",
  "Systems",
  "Networks",
  "Biotech",
  "Freight",
  "Insurance",
  "Retail",
  "Capital",
  "Mobility",
  "Data",
  "Cloud",
  "Studios",
  "Manufacturing",
  "Dental",
  "Legal",
  "Travel",
  "Telecom",
  "Agritech",
  "Outfitters",
] as const;
const legalForms = ["Inc.", "LLC", "Corp.", "Ltd.", "Co.", "Group"] as const;
const places = ["Austin", "Boston", "Denver", "Dublin", "Lisbon", "Oslo", "Seattle", "Toronto", "Utrecht", "Vienna"];
const firstNames = [
  "Ava",
  "Ben",
  "Chloe",
  "Diego",
  "Elena",
  "Farah",
  "Gus",
  "Hana",
  "Ivan",
  "Jade",
  "Kofi",
  "Lena",
  "Mateo",
  "Nora",
  "Omar",
  "Priya",
  "Quinn",
  "Rosa",
  "Sam",
  "Tara",
  "Uma",
  "Victor",
  "Wen",
  "Yusuf",
  "Zoe",
] as const;
const lastNames = [
  "Adams",
  "Bauer",
  "Chen",
  "Dubois",
  "Evans",
  "Fischer",
  "Garcia",
  "Hughes",
  "Ito",
  "Jensen",
  "Kowalski",
  "Lopez",
  "Moreau",
  "Nakamura",
  "Okafor",
  "Patel",
  "Rossi",
  "Silva",
  "Tanaka",
  "Varga",
  "Walsh",
  "Young",
] as const;

export interface CompanyName {
  name: string;
  domain: string;
}

/** Hands out unique company names; after the plain combinations run out it adds a city, then a number. */
export function companyNames(random: Random): () => CompanyName {
  const used = new Set<string>();
  return () => {
    for (let attempt = 0; ; attempt++) {
      const stem = random.pick(stems);
      const trade = random.pick(trades);
      const base = attempt < 20 ? `${stem} ${trade}` : `${stem} ${trade} ${random.pick(places)}`;
      const key = attempt < 60 ? base : `${base} ${attempt}`;
      if (used.has(key)) continue;
      used.add(key);
      const domain = `${key.toLowerCase().replace(/[^a-z0-9]+/g, "")}.example.com`;
      return { name: `${key} ${random.pick(legalForms)}`, domain };
    }
  };
}

export interface Person {
  name: string;
  email: string;
}

export function accountManagers(random: Random, count: number, emailDomain: string): Person[] {
  const people: Person[] = [];
  const used = new Set<string>();
  while (people.length < count) {
    const first = random.pick(firstNames);
    const last = random.pick(lastNames);
    const email = `${first}.${last}@${emailDomain}`.toLowerCase();
    if (used.has(email)) continue;
    used.add(email);
    people.push({ name: `${first} ${last}`, email });
  }
  return people;
}

export function personName(random: Random): string {
  return `${random.pick(firstNames)} ${random.pick(lastNames)}`;
}
