// Identities from @faker-js/faker (MIT), for the outside PHI corpus (tests/feedback/phi_outside.py).
// node identities.mjs SEED COUNT LOCALE... prints one JSON list: COUNT identities per locale, each
// drawn with its own seed (SEED, locale, index), dates against a fixed day.
import { allFakers } from "@faker-js/faker";

const [seed, count, ...locales] = process.argv.slice(2);
const refDate = new Date("2026-12-06T00:00:00Z");
const out = [];
for (const [l, locale] of locales.entries()) {
  const faker = allFakers[locale];
  faker.setDefaultRefDate(refDate);
  for (let n = 0; n < Number(count); n++) {
    faker.seed([Number(seed), l, n]);
    const sex = faker.person.sexType();
    const first = faker.person.firstName(sex);
    const last = faker.person.lastName(sex);
    out.push({
      locale,
      index: n,
      first,
      last,
      full: faker.person.fullName({ firstName: first, lastName: last, sex }),
      street: faker.location.streetAddress(false),
      street_unit: faker.location.streetAddress(true),
      city: faker.location.city(),
      zip: faker.location.zipCode(),
      phone: faker.phone.number(),
      email: faker.internet.email({ firstName: first, lastName: last }),
      born: faker.date.birthdate({ mode: "age", min: 14, max: 95 }).toISOString().slice(0, 10),
    });
  }
}
process.stdout.write(JSON.stringify(out));
