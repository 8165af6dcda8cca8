// The server-variable values the user picked in the explorer, shared by every operation page
// while the app runs (see servers.ts for the keys).
export const serverChoices: Record<string, string> = $state({});
