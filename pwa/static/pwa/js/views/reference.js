// Units & workflows, for product owners (who may create and edit them, SPEC §3): the same screens
// as Admin → Units and Admin → Workflows. Admins find them under Admin.
import { tabbedArea, UNITS, WORKFLOWS } from "./admin/tabs.js";

export const { render, unmount } = tabbedArea({
  base: "/reference", prefix: "reference", label: "Reference data", what: "This page",
  sections: [UNITS, WORKFLOWS],
});
