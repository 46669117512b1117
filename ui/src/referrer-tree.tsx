/** The referrers tree: signatures with their verification and signer, SBOMs, attestations, nested. */
import type { Referrer } from './api.js';
import { shortDigest } from './format.js';

export function ReferrerTree({ referrers }: { referrers: Referrer[] }) {
  if (referrers.length === 0) return <p class="muted">None attached.</p>;
  return (
    <ul class="tree">
      {referrers.map((referrer) => (
        <li key={referrer.digest} data-kind={referrer.kind}>
          <span class="badge">{referrer.kind}</span> <span class="mono">{shortDigest(referrer.digest)}</span>
          {referrer.artifactType ? <span class="muted"> {referrer.artifactType}</span> : null}
          {referrer.predicateType ? <span class="muted"> · {referrer.predicateType}</span> : null}
          {referrer.verification ? <Verification verification={referrer.verification} /> : null}
          {referrer.referrers && referrer.referrers.length > 0 ? <ReferrerTree referrers={referrer.referrers} /> : null}
        </li>
      ))}
    </ul>
  );
}

function Verification({ verification }: { verification: NonNullable<Referrer['verification']> }) {
  const tone = verification.status === 'verified' ? 'ok' : verification.status === 'failed' ? 'bad' : 'warn';
  return (
    <div class="verification">
      <span class={`status ${tone}`}>{verification.status}</span>
      {verification.signer ? (
        <span>
          {' '}
          signer <span class="mono">{verification.signer}</span>
        </span>
      ) : null}
      {verification.policy ? <span class="muted"> · policy {verification.policy}</span> : null}
      {verification.reason ? <span class="muted"> · {verification.reason}</span> : null}
    </div>
  );
}
