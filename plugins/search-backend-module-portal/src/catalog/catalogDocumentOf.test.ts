import fc from 'fast-check';
import { Entity } from '@backstage/catalog-model';
import { loadDemoCatalog } from '@internal/sandbox';
import { apiDefinitionText, MAX_DEFINITION_TEXT } from './apiDefinitionText';
import { catalogDocumentOf } from './catalogDocumentOf';

const demo = loadDemoCatalog();
const entityNamed = (name: string) =>
  ({
    apiVersion: 'backstage.io/v1alpha1',
    ...demo.entities.find(e => e.metadata.name === name)!,
  } as Entity);

describe('catalogDocumentOf', () => {
  it("indexes an API's operations and schemas, a service's tags and words of its name", () => {
    const api = catalogDocumentOf(entityNamed('invoice-api'));
    expect(api.title).toBe('Invoice API');
    expect(api.text).toContain('POST /invoices/{id}/finalize');
    expect(api.text).toContain('Finalise a draft');
    expect(api.text).toMatch(/\bInvoice\b.*\bcustomer_id\b|\bInvoiceStatus\b/);
    expect(api).toMatchObject({
      kind: 'API',
      type: 'openapi',
      tags: ['openapi'],
    });

    const ledger = catalogDocumentOf(entityNamed('ledger-service'));
    expect(ledger.text).toContain('ledger service');
    expect(ledger).toMatchObject({
      kind: 'Component',
      owner: expect.any(String),
      lifecycle: expect.any(String),
      system: expect.any(String),
    });
  });

  it('turns any definition text into bounded plain text without failing', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('openapi', 'asyncapi', 'graphql', 'grpc'),
        fc.oneof(fc.string({ maxLength: 3000 }), fc.json(), fc.anything()),
        (type, definition) => {
          const text = apiDefinitionText(type, definition);
          expect(typeof text).toBe('string');
          expect(text.length).toBeLessThanOrEqual(MAX_DEFINITION_TEXT);
        },
      ),
      { numRuns: 300 },
    );
  });
});
