// Offline PHI hint: the commonest identifier shapes, checked in the browser while the server's guard
// (POST /api/phi/check/) cannot be reached. It only warns; the server masks on save either way.

const PATTERNS = [
  ["email", /[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}/],
  ["ssn", /(?<![\d-])\d{3}[- ]\d{2}[- ]\d{4}(?![\d-])/],
  ["phone", /(?<![\w/.])(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)[ .-]?|\d{2,4}[ .-])\d{3,4}[ .-]?\d{3,4}(?![\d/])/],
  ["mrn", /\b(?:mrn|mr#|med\s*rec\s*#|chart\s*#|acct\s*#?|fin|csn)\s*[:#]?\s*\d{4,}/i],
  ["dob", /\b(?:dob|d\.o\.b\.?|born|date of birth)\b\W{0,3}\d{1,4}[/.-]\d{1,2}/i],
  ["name", /\b(?:Mr|Mrs|Ms|Mx|Miss|Dr|Nurse|Pt|Patient|daughter|son|wife|husband)\.?:?\s+\p{Lu}[\p{L}'’-]+/u],
];

/** The kinds of identifier the text seems to hold, e.g. ["mrn", "name"]; [] when none. */
export function offlinePhiKinds(text) {
  return PATTERNS.filter(([, re]) => re.test(text)).map(([kind]) => kind);
}

/** The warning sentence for `kinds`, or "" when there is nothing to warn about. */
export function offlinePhiWarning(kinds) {
  if (!kinds.length) return "";
  return `Offline check: this may contain patient information (${kinds.join(", ")}). ` +
    "Rewrite it without identifiers; it is masked when it syncs.";
}
