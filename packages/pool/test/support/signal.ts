// A one-shot signal a test server fires so the test can wait for it without sleeping.
export interface Signal {
  fire: () => void;
  fired: Promise<void>;
}

export function signal(): Signal {
  let fire: () => void = () => {};
  const fired = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { fire, fired };
}
