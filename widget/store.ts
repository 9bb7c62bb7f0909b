/** What survives a reload, per publishable key: who the visitor is and which conversation is open. */
export interface Remembered {
  visitorId: string | null;
  conversationId: string | null;
}

/** localStorage, or nothing where the page forbids it (sandboxed frames, some private modes). */
export function memory(key: string) {
  const name = `ancre:${key}`;
  const read = (): Remembered => {
    try {
      const value = JSON.parse(localStorage.getItem(name) ?? "{}");
      return { visitorId: value.visitorId ?? null, conversationId: value.conversationId ?? null };
    } catch {
      return { visitorId: null, conversationId: null };
    }
  };
  return {
    read,
    write(change: Partial<Remembered>) {
      try {
        localStorage.setItem(name, JSON.stringify({ ...read(), ...change }));
      } catch {
        // Without storage the conversation simply does not survive a reload.
      }
    },
  };
}
