/** A command or snippet with a copy button. */
import { useState } from 'preact/hooks';

export function CopyCommand({ label, text }: { label: string; text: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div class="copy">
      <span class="copy-label">{label}</span>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: scrolls sideways on a phone; a scrollable region must be reachable by keyboard (axe scrollable-region-focusable) */}
      <pre class="mono" tabIndex={0}>
        {text}
      </pre>
      <button type="button" onClick={copy} aria-label={`Copy ${label}`}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  );
}
