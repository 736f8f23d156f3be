// The app's areas: the navigation shows only the areas that exist and that the user's roles open.
export const AREAS = [
  { id: "home", path: "/", label: "Home", roles: null, load: () => import("./views/home.js") },
];

export function areasFor(roles) {
  return AREAS.filter((a) => a.roles === null || a.roles.some((r) => roles.includes(r)));
}
