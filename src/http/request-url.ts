const parsed = new WeakMap<Request, URL>();

/** A request's URL, parsed once however many checks on the way (origin, room, loopback) read it. */
export function urlOf(req: Request): URL {
  let url = parsed.get(req);
  if (!url) {
    url = new URL(req.url);
    parsed.set(req, url);
  }
  return url;
}
