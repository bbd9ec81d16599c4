#!/usr/bin/env bash
# Registers signoff's Telegram webhook (platforms.md §1.2), or removes or inspects it.
#
#   TELEGRAM_BOT_TOKEN=… TELEGRAM_SECRET_TOKEN=… scripts/telegram-set-webhook.sh https://signoff.example.org
#   TELEGRAM_BOT_TOKEN=… scripts/telegram-set-webhook.sh --delete
#   TELEGRAM_BOT_TOKEN=… scripts/telegram-set-webhook.sh --info
#
# setWebhook gets url=<public_url>/webhook/telegram, the secret token (sent back by Telegram in
# X-Telegram-Bot-Api-Secret-Token), allowed_updates ["message","callback_query"] (sticky: always
# sent, or button presses may never arrive) and drop_pending_updates false. Telegram's JSON
# answer is printed; the exit status is 0 only when it says "ok":true. TELEGRAM_API_BASE
# overrides https://api.telegram.org (for a local fake). The token is never printed: it is
# passed to curl through a config file on a pipe, never on the command line.
set -euo pipefail

usage() {
    sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

die() {
    echo "telegram-set-webhook: $*" >&2
    exit 1
}

[[ $# -eq 1 ]] || usage
command -v curl >/dev/null || die "curl is required"

token=${TELEGRAM_BOT_TOKEN:-}
[[ -n $token ]] || die "TELEGRAM_BOT_TOKEN is not set"
# Bot tokens look like 123456789:AAE…; refuse anything that could break out of the curl config line.
[[ $token =~ ^[0-9]+:[A-Za-z0-9_-]+$ ]] || die "TELEGRAM_BOT_TOKEN does not look like a bot token (digits:letters)"
api_base=${TELEGRAM_API_BASE:-https://api.telegram.org}
api_base=${api_base%/}

# call METHOD [JSON]: POSTs JSON to the Bot API and prints the answer. The URL (it holds the
# token) reaches curl as a config file on a pipe and the body (it may hold the secret) on stdin,
# so neither shows in `ps`.
call() {
    local method=$1 body=${2:-'{}'} answer
    answer=$(printf '%s' "$body" |
        curl --silent --show-error --max-time 30 \
            --config <(printf 'url = "%s/bot%s/%s"\n' "$api_base" "$token" "$method") \
            --header 'Content-Type: application/json' --data-binary @- 2>&1) ||
        die "$method: request failed: ${answer//$token/<token>}"
    answer=${answer//$token/<token>}
    printf '%s\n' "$answer"
    [[ $answer =~ \"ok\":[[:space:]]*true ]]
}

case $1 in
--delete)
    call deleteWebhook '{"drop_pending_updates":false}'
    ;;
--info)
    call getWebhookInfo
    ;;
-h | --help | -*)
    usage
    ;;
*)
    public_url=${1%/}
    [[ $public_url =~ ^https://[^[:space:]\"\\]+$ ]] || die "the public URL must start with https:// (Telegram only calls HTTPS webhooks)"
    secret=${TELEGRAM_SECRET_TOKEN:-}
    [[ -n $secret ]] || die "TELEGRAM_SECRET_TOKEN is not set"
    [[ ${#secret} -le 256 && $secret =~ ^[A-Za-z0-9_-]+$ ]] ||
        die "TELEGRAM_SECRET_TOKEN must be 1-256 characters of A-Z, a-z, 0-9, _ and -"
    # Both values are checked above to hold no quote or backslash, so plain interpolation is valid JSON.
    call setWebhook "$(printf '{"url":"%s/webhook/telegram","secret_token":"%s","allowed_updates":["message","callback_query"],"drop_pending_updates":false}' \
        "$public_url" "$secret")"
    ;;
esac
