import { checkSync } from 'recheck';
import {
  detectSupplementarySecrets,
  isContentDigest,
  supplementaryDetectors,
} from './secretSpans';

const INTERNAL_DOMAINS = ['internal.quillstack.example'];

describe('supplementary detectors', () => {
  // recheck decides whether a backtracking regex can take super-linear time (ReDoS) by analysing its
  // automaton or, where lookbehinds prevent that, by fuzzing with a fixed seed.
  for (const detector of supplementaryDetectors(INTERNAL_DOMAINS)) {
    it(`${detector.kind}: its pattern runs in linear time`, () => {
      const { source, flags } = detector.pattern;
      const diagnostics = checkSync(source, flags.replace('d', ''), {
        randomSeed: 2026,
      });
      expect({
        kind: detector.kind,
        status: diagnostics.status,
        attack:
          diagnostics.status === 'vulnerable'
            ? diagnostics.attack.pattern
            : undefined,
      }).toEqual({ kind: detector.kind, status: 'safe', attack: undefined });
    });
  }

  it('finds a password in a URL only from the start of its scheme, and still finds it there', () => {
    const text = `x${'a'.repeat(
      5_000,
    )} jdbc:postgresql://ledger:Pa55w0rd-Q@db:5432/ledger`;
    const spans = detectSupplementarySecrets(text).filter(
      s => s.kind === 'url-password',
    );
    expect(spans.map(s => text.slice(s.start, s.end))).toEqual(['Pa55w0rd-Q']);
  });
});

describe('isContentDigest', () => {
  it.each([
    'sha512-Rw0cfCdOKrOcdmMXSBRHEBDqDMuQcx2qDr/aFXJb+pVc0rPZ9ObmaNS6ZCCEihg+r07iPEMK0RHFv7XUD4Q6YA==',
    'sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC',
    'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=',
    'sha1-2AtWqUeq0tqvLhbe1Ia7B/OkUqQ=',
    'sha-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=',
    '3f2a9c1e0b7d4e8f9a6b5c4d3e2f1a0b9c8d7e6f',
    '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  ])('%s is a digest of public content', token => {
    expect(isContentDigest(token)).toBe(true);
  });

  it.each([
    // A token with a digest's prefix but not its length is still a candidate secret.
    'sha512-Zq8Lk2Vw7Rt5Yp3Nm9Hb4Gc6Fd1Sx0Ae',
    'sha256-Zq8Lk2Vw7Rt5Yp3Nm9Hb4Gc6Fd1Sx0AeQ7Wr2Ty5Ui8Op3As6Df9',
    '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',
  ])('%s is not', token => {
    expect(isContentDigest(token)).toBe(false);
  });
});
