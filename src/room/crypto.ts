import type { TextCodec } from "./codec";
import { fail } from "./errors";

/** Sealed text starts with this; anything else is plaintext written before encryption was on. */
export const SEALED = "enc:";

export function isSealed(value: string): boolean {
  return value.startsWith(SEALED);
}

function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const raw = atob(text);
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/** The key as configured: base64 (as documented) or hex, of exactly 32 bytes. */
export function parseKey(raw: string | undefined): Uint8Array<ArrayBuffer> {
  const text = (raw ?? "").trim();
  if (!text)
    fail("encryption_error", "MASC_ENCRYPTION_KEY is not set; set it (base64 of 32 random bytes, see masc_generate_key) as a secret");
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = /^[0-9a-fA-F]{64}$/.test(text)
      ? fromBase64(btoa(String.fromCharCode(...(text.match(/../g) ?? []).map((h) => Number.parseInt(h, 16)))))
      : fromBase64(text);
  } catch {
    fail("encryption_error", "MASC_ENCRYPTION_KEY is not valid base64 or hex");
  }
  if (bytes.length !== 32) fail("encryption_error", `MASC_ENCRYPTION_KEY must be 32 bytes, it is ${bytes.length}`);
  return bytes;
}

export function generateKey(output: "base64" | "hex"): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return output === "hex" ? [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("") : toBase64(bytes);
}

/**
 * AES-256-GCM with a fresh 12-byte nonce per value and the field name as associated data, so a
 * value sealed for one field cannot be passed off as another. Envelope: `enc:{"v":1,"nonce","ct"}`.
 */
export function aesCodec(rawKey: string | undefined): TextCodec {
  let key: Promise<CryptoKey> | undefined;
  const getKey = () => {
    key ??= (async () => crypto.subtle.importKey("raw", parseKey(rawKey), "AES-GCM", false, ["encrypt", "decrypt"]))();
    return key;
  };
  return {
    async seal(field, plain) {
      const nonce = crypto.getRandomValues(new Uint8Array(12));
      const ct = await crypto.subtle.encrypt(
        { name: "AES-GCM", iv: nonce, additionalData: new TextEncoder().encode(field) },
        await getKey(),
        new TextEncoder().encode(plain),
      );
      return `${SEALED}${JSON.stringify({ v: 1, nonce: toBase64(nonce), ct: toBase64(new Uint8Array(ct)) })}`;
    },
    async open(field, stored) {
      if (!isSealed(stored)) return stored;
      let envelope: { v: number; nonce: string; ct: string };
      try {
        envelope = JSON.parse(stored.slice(SEALED.length));
      } catch {
        fail("encryption_error", `a sealed ${field} value is damaged`);
      }
      try {
        const plain = await crypto.subtle.decrypt(
          { name: "AES-GCM", iv: fromBase64(envelope.nonce), additionalData: new TextEncoder().encode(field) },
          await getKey(),
          fromBase64(envelope.ct),
        );
        return new TextDecoder().decode(plain);
      } catch (err) {
        if (err instanceof Error && err.name === "MascError") throw err;
        fail("encryption_error", `cannot decrypt a ${field} value: MASC_ENCRYPTION_KEY is not the key it was sealed with`);
      }
    },
  };
}

/**
 * A codec that first proves its key opens the room's check value (sealed when encryption was
 * turned on), so a wrong key is refused before it writes a single value nobody could read.
 */
export function checkedCodec(inner: TextCodec, check: string | undefined): TextCodec {
  let verified: Promise<void> | undefined;
  const verify = () => {
    verified ??= (async () => {
      if (check === undefined) return;
      try {
        await inner.open("keycheck", check);
      } catch {
        fail("encryption_error", "MASC_ENCRYPTION_KEY is not the key this room was encrypted with; nothing was read or written");
      }
    })();
    return verified;
  };
  return {
    seal: async (field, plain) => {
      await verify();
      return inner.seal(field, plain);
    },
    open: async (field, stored) => {
      await verify();
      return inner.open(field, stored);
    },
  };
}
