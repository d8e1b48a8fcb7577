"""The provider kit: the wire layer and the checks every platform's provider is built from.

- `http`: secrets, self-throttling that follows the server's rate headers, retries, bounded concurrency;
- `answers`: every answer checked for the status, content type and envelope its call expects;
- `client`: `ApiClient`, the base of each platform's client (one method per endpoint): authorization
  with a cached token renewed once on a 401, errors in the platform's words, no secret in any message;
- `tokens`: the OAuth token cache and grant;
- `writes`: declarative batch writes (verb → call, batch limit, per-item answers → `ItemResult`s);
- `rules`: the offline rule checker (each rule with its code and the vendor sentence it comes from);
- `provider`: `KitProvider`, what every provider built on the kit shares, and `operation`, a change's call.

A guarantee (an unreadable answer is an error, one result per item, a refused item does not stop its
batch, ...) lives here once and is proven for every platform by tests/providers/test_conformance.py.
"""
