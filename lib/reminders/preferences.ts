import "server-only";

// The preference lives on the user's row, which lib/users writes (docs/decisions/063-one-writer-per-table.md).
export { getRemindersEnabled, setRemindersEnabled } from "@/lib/users/queries";
