// The React bindings in JSX, as an app writes them (checked with usage.ts).
import { useEffect, type ReactNode } from "react";
import { Gated, useConsent } from "consent-gate/react";

export function Analytics(): ReactNode {
  const allowed: boolean = useConsent("performance");
  useEffect(() => {
    if (allowed) console.log("start analytics");
  }, [allowed]);
  return null;
}

export function Video({ id }: { id: string }) {
  return (
    <Gated category="marketing" fallback={<p>Accept marketing cookies to watch this video.</p>}>
      <iframe src={`https://www.youtube-nocookie.com/embed/${id}`} title="Video" />
    </Gated>
  );
}

export const withoutFallback = (
  <Gated category="ads-pixel">
    <Analytics />
  </Gated>
);

// @ts-expect-error: a category is required
export const missing = <Gated>text</Gated>;
