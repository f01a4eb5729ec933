// Salesforce record ids: a 3-character key prefix (001 Account, 00D org, 005 user), 12 base-62 characters, and the
// 3-character case-safe suffix that makes the 18-character form.

const suffixAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** The 18-character id of a 15-character one: each suffix character encodes which of 5 characters are upper case. */
export function to18(id15: string): string {
  let suffix = "";
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const ch = id15[chunk * 5 + i]!;
      if (ch >= "A" && ch <= "Z") bits |= 1 << i;
    }
    suffix += suffixAlphabet[bits];
  }
  return id15 + suffix;
}

/** The `n`th id with a key prefix and a pod/instance marker (e.g. "001", "5g"), in its 18-character form. */
export function salesforceId(prefix: string, pod: string, n: number): string {
  let body = "";
  let rest = n;
  for (let i = 0; i < 15 - prefix.length - pod.length; i++) {
    body = base62[rest % 62] + body;
    rest = Math.floor(rest / 62);
  }
  return to18(`${prefix}${pod}${body}`);
}

/** An id as Salesforce accepts it: 15 or 18 characters; answers the 18-character form, or null when malformed. */
export function canonicalId(id: string): string | null {
  if (/^[0-9A-Za-z]{18}$/.test(id)) return to18(id.slice(0, 15)) === id ? id : null;
  if (/^[0-9A-Za-z]{15}$/.test(id)) return to18(id);
  return null;
}
