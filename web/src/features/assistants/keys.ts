export const assistantKeys = { all: ["assistants"] as const };
