// Identities from two more generators (both MIT, test-only), for the PHI guard's development pool
// (bench/phi_dev_pool.py, source "chancefalso"); never part of the held-out corpus.
// node pool_identities.mjs SEED COUNT prints one JSON list: COUNT identities from each generator.
// - chance 1.1.13: its own syllable-built street and town names ("880 Wizre Park, Etemajow"), US
//   phones formatted and bare, UK, French and Brazilian phones, SSNs with and without dashes;
// - @ngneat/falso 8.0.2: international phones of many countries ("+47(587)64 733"), full addresses
//   with county and country.
import { createRequire } from "node:module";
import * as falso from "@ngneat/falso";

const require = createRequire(import.meta.url);
const Chance = require("chance");
const [seed, count] = process.argv.slice(2).map(Number);
const COUNTRIES = ["US", "GB", "DE", "FR", "IN", "MX", "NG", "PH", "AU", "BR", "IT", "ES", "NL",
  "PL", "SE", "IE", "ZA", "CA", "KE", "PK", "TR", "GR", "PT", "CH"];
// Not NZ: falso 8.0.2 writes its optional last digit literally ("+64(035)086 553[3]").
const out = [];
const chance = new Chance(seed);
for (let n = 0; n < count; n++) {
  const phones = [
    chance.phone(), chance.phone({ formatted: false }), chance.phone({ country: "uk" }),
    chance.phone({ country: "uk", mobile: true }), chance.phone({ country: "fr" }),
    chance.phone({ country: "br", mobile: true }),
  ];
  const name = chance.name({ middle_initial: n % 3 === 0 });
  const [first, last] = [name.split(" ")[0], name.split(" ").slice(-1)[0]];
  const street = chance.address({ short_suffix: n % 2 === 0 });
  const city = chance.city();
  const zip = chance.zip({ plusfour: n % 4 === 0 });
  out.push({
    source: "chance", index: n, first, last, full: name,
    street, street_unit: `${street}, Apt ${chance.integer({ min: 1, max: 999 })}`,
    city: `${city}, ${chance.state()} ${zip}`, phone: phones[n % phones.length],
    email: chance.email({ domain: "example.org" }), ssn: chance.ssn({ dashes: n % 2 === 0 }),
    born: chance.birthday({ string: true }),
  });
}
falso.seed(`rounds-${seed}`);
for (let n = 0; n < count; n++) {
  const first = falso.randFirstName();
  const last = falso.randLastName();
  const street = falso.randStreetAddress();
  const country = COUNTRIES[n % COUNTRIES.length];
  out.push({
    source: "falso", index: n, first, last, full: `${first} ${last}`,
    street, street_unit: street,
    city: n % 2 ? `${falso.randCity()}, ${falso.randZipCode()}`
      : falso.randFullAddress().split(", ").slice(1).join(", "),
    phone: falso.randPhoneNumber({ countryCode: country }),
    email: falso.randEmail({ firstName: first, lastName: last }), ssn: "",
    born: falso.randBetweenDate({ from: new Date("1930-01-01"), to: new Date("2010-12-31") })
      .toISOString().slice(0, 10),
  });
}
process.stdout.write(JSON.stringify(out));
