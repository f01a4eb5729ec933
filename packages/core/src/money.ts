// Money on the wire: minor units as a decimal string (JSON has no bigint) plus the ISO currency.
export interface MoneyJson {
  minor: string;
  currency: string;
}

export function money(minor: bigint | string | number, currency: string): MoneyJson {
  return { minor: BigInt(minor).toString(), currency: currency.trim().toUpperCase() };
}
