import { errorSchemaOf } from './ActionDialog';

describe('errorSchemaOf', () => {
  it("puts each JSON pointer's message on its field, the root's on the form", () => {
    expect(
      errorSchemaOf({
        '/reason': 'must NOT have fewer than 15 characters',
        '/owner/name': 'is required',
        '/': 'must NOT have additional properties',
      }),
    ).toEqual({
      reason: { __errors: ['must NOT have fewer than 15 characters'] },
      owner: { name: { __errors: ['is required'] } },
      __errors: ['must NOT have additional properties'],
    });
  });
});
