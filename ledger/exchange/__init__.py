"""The centre's evidence from other departments, fetched through the provincial data-sharing exchange.

- `settings.ExchangeSettings`: url, timeouts, retries, the exchange's public key, per-topic cache age;
- `client.ExchangeClient`: the HTTP client (timeouts, retries with backoff, signature checks);
- `adapters`: one per department topic, the exchange's facts as `domain.evidence` facts;
- `source.CentreEvidence`: cache (the look-up records themselves), look-up records, and the
  `Evidence` a handler in `ledger.rules` decides on.

The contract both sides share is `domain.exchange_contract` (docs/exchange.md).
"""
