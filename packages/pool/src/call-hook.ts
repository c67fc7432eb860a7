// Runs an observability hook so that a throwing observer can never break the request it observes.

export function callHook<Event>(hook: (event: Event) => void, event: Event): void {
  try {
    hook(event);
  } catch {
    // Deliberately ignored: hooks are for metrics and logs, and undici's callbacks must not throw.
  }
}
