// Per-frame accounting (assembly/state.ts): a rolled-back frame leaves no trace in the counters, so
// frames, records and skip reasons always add up, however many skips one frame had.
import { beginFrame, claimRecord, commitFrame, rollbackFrame, skip } from '../assembly/state';
import { CTR_DNS, CTR_SYN, KIND_DNS, KIND_SYN, R_DNS_TRUNCATED, R_OUTPUT_OVERFLOW } from '../assembly/layout';
import { fresh, skips, slot } from './helpers';

describe('frame rollback', () => {
  it('rolls back the record kinds too: a frame that alone overflowed counts no records', () => {
    fresh();
    beginFrame();
    claimRecord(KIND_DNS);
    claimRecord(KIND_DNS);
    claimRecord(KIND_SYN);
    rollbackFrame();
    skip(R_OUTPUT_OVERFLOW);
    commitFrame();
    expect(slot(CTR_DNS)).toBe(0);
    expect(slot(CTR_SYN)).toBe(0);
    expect(skips(R_OUTPUT_OVERFLOW)).toBe(1);
  });
  it('skips past the pending list are counted once, even when the frame is rolled back and decoded again', () => {
    fresh();
    beginFrame();
    for (let i = 0; i < 9000; i++) skip(R_DNS_TRUNCATED);
    rollbackFrame();
    beginFrame();
    for (let i = 0; i < 9000; i++) skip(R_DNS_TRUNCATED);
    commitFrame();
    expect(skips(R_DNS_TRUNCATED)).toBe(9000);
  });
});
