/**
 * The store's leader lock on a real PostgreSQL (a session advisory lock): one store per
 * database leads, asking again does not stack holds, and the lead passes on when its holder
 * closes or loses its session.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { IndexStore } from '../../../src/store/index.js';
import { backendPid, closeStores, storesOnOneDatabase, terminateSession, waitForSessionEnd } from './sessions.js';

const LEAD = 'scheduler';

afterEach(closeStores);

describe('leader lock on PostgreSQL', () => {
  it('lets one of two stores lead; asking again keeps it without stacking holds', () => {
    const [a, b] = storesOnOneDatabase(2) as [IndexStore, IndexStore];
    expect(a.tryLead(LEAD)).toBe(true);
    expect(b.tryLead(LEAD)).toBe(false);
    expect(a.tryLead(LEAD)).toBe(true);
    expect(a.tryLead(LEAD)).toBe(true);
    // One release frees it: the repeated asks took no second hold.
    expect(a.releaseLead(LEAD)).toBe(true);
    expect(a.releaseLead(LEAD)).toBe(false);
    expect(b.tryLead(LEAD)).toBe(true);
    expect(a.tryLead(LEAD)).toBe(false);
  });

  it('keeps leads of different names and different databases apart', () => {
    const [a, b] = storesOnOneDatabase(2) as [IndexStore, IndexStore];
    const [other] = storesOnOneDatabase(1) as [IndexStore];
    expect(a.tryLead(LEAD)).toBe(true);
    expect(b.tryLead('another-lead')).toBe(true);
    expect(other.tryLead(LEAD)).toBe(true);
    expect(b.tryLead(LEAD)).toBe(false);
  });

  it('passes the lead on when its holder closes', () => {
    const [a, b] = storesOnOneDatabase(2) as [IndexStore, IndexStore];
    expect(a.tryLead(LEAD)).toBe(true);
    const pid = backendPid(a);
    a.close();
    // The lock goes with the session, whose backend exits a moment after the client has gone.
    waitForSessionEnd(b, pid);
    expect(b.tryLead(LEAD)).toBe(true);
  });

  it("passes the lead on when the server ends its holder's session; the holder, reconnected, leads no more", () => {
    const [a, b] = storesOnOneDatabase(2) as [IndexStore, IndexStore];
    expect(a.tryLead(LEAD)).toBe(true);
    const before = backendPid(a);
    terminateSession(b, before);
    expect(b.tryLead(LEAD)).toBe(true);
    expect(a.tryLead(LEAD)).toBe(false);
    expect(backendPid(a)).not.toBe(before);
    const holder = backendPid(b);
    b.close();
    waitForSessionEnd(a, holder);
    expect(a.tryLead(LEAD)).toBe(true);
  });
});
