/**
 * Seals the text columns named in the encryption design (message, task, portal and interrupt text)
 * before they are written, and opens them when read. Until a room turns encryption on it is the
 * identity, so callers always go through it and never branch on whether encryption is on.
 */
export interface TextCodec {
  seal(field: string, plain: string): Promise<string>;
  open(field: string, stored: string): Promise<string>;
}

export const plainCodec: TextCodec = {
  seal: async (_field, plain) => plain,
  open: async (_field, stored) => stored,
};
