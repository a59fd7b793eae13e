#!/usr/bin/env bash
# The README's walk-through as a script: one contact from lead to customer through the gateway.
# Usage: scripts/walkthrough.sh [gateway-url]   (default http://localhost:5080; needs curl and jq)
set -euo pipefail
G=${1:-http://localhost:5080}
# alice, a salesperson, works her own contact, with a token of the local run's development issuer.
token=$("$(dirname "$0")/dev-token.sh" alice salesperson 1)
api() { curl -sf -H "Authorization: Bearer $token" "$@"; }
json=(-H 'Content-Type: application/json')
step() { printf '\n== %s\n' "$*" >&2; }
# Reads a stage's record until the hand-off message has arrived there.
await() { for _ in $(seq 1 50); do api "$1" && return 0; sleep 0.2; done; echo "timed out waiting for $1" >&2; return 1; }

step "capture a lead"
email="ada.$RANDOM$RANDOM@engines.example"
lead=$(api "${json[@]}" -X POST "$G/api/leads" \
  -d "{\"name\":\"Ada Lovelace\",\"company\":\"Analytical Engines\",\"email\":\"$email\",\"source\":\"convention\"}")
echo "$lead" | jq -c '{contactId, status, owner}'
id=$(echo "$lead" | jq -r .contactId)

step "qualify it: Leads hands it to Qualification"
api "${json[@]}" -X POST "$G/api/leads/$id/qualify" | jq -c .
await "$G/api/qualification/$id" | jq -c '{status, unmet}'

step "first interaction, interest, credit check"
api "${json[@]}" -X POST "$G/api/qualification/$id/interactions" -d '{"kind":"call","summary":"Intro call"}' | jq -c '{kind, summary}'
api "${json[@]}" -X POST "$G/api/qualification/$id/interest" -d '{"interested":true,"notes":"Wants a demo"}' | jq -c '{status, unmet}'
api "${json[@]}" -X POST "$G/api/qualification/$id/credit-check" -d '{"requestedLimit":{"amount":20000,"currency":"EUR"}}' | jq -c .

step "promote to prospect: Qualification hands it to Quoting"
api "${json[@]}" -X POST "$G/api/qualification/$id/promote" | jq -c .
await "$G/api/quoting/$id" | jq -c '{status, percentComplete, unmet}'

step "create and send a quote"
quote=$(api "${json[@]}" -X POST "$G/api/quoting/$id/quotes" -d "{\"currency\":\"EUR\",\"validUntil\":\"$(date -u -d '+30 days' +%F)\",
  \"lines\":[{\"sku\":\"AE-1\",\"description\":\"Difference engine\",\"quantity\":2,\"unitPrice\":1234.50,\"discountPercent\":10}]}")
echo "$quote" | jq -c '{quoteId, version, status, total}'
quoteId=$(echo "$quote" | jq -r .quoteId)
api "${json[@]}" -X POST "$G/api/quoting/$id/quotes/$quoteId/send" | jq -c '{status}'

step "accept it: Quoting hands it to Orders"
api "${json[@]}" -X POST "$G/api/quoting/$id/quotes/$quoteId/accept" | jq -c .
await "$G/api/customers/$id" | jq -c '{name, owner, orders: [.orders[] | {orderId, total, owner}]}'

step "the sale, credited to the salesperson"
api "$G/api/sales" | jq -c .

step "the contact's journey"
sleep 0.5
api "$G/api/pipeline/contacts/$id" | jq .
