#include "bot/outbox/delivery_policy.hpp"

#include <catch2/catch.hpp>

using namespace signoff;

TEST_CASE("A chat's held rows get one turn each, the better priority first", "[outbox][fair]") {
    turn_planner turns;
    millis const now = 10'000, second = 1000;
    // A backlog of cards for one chat, busy until 11 s: one a second from then.
    CHECK(turns.place("telegram 1", 2, 11'000, second, now) == 11'000);
    CHECK(turns.place("telegram 1", 2, 11'000, second, now) == 12'000);
    CHECK(turns.place("telegram 1", 2, 11'000, second, now) == 13'000);
    // An answer to the person's own command takes the first free turn, before the cards.
    CHECK(turns.place("telegram 1", 0, 11'000, second, now) == 11'000);
    // Another chat is not held back by this one.
    CHECK(turns.place("telegram 2", 2, 10'500, second, now) == 10'500);
    // A card met by the answer at its turn is placed after the other cards.
    CHECK(turns.place("telegram 1", 2, 12'000, second, 11'000) == 14'000);
    // Once the turns are forgotten (the cards went as one list), the chat starts afresh.
    turns.forget("telegram 1");
    CHECK(turns.place("telegram 1", 2, 12'000, second, 11'000) == 12'000);
}

TEST_CASE("The rate limiter tells when a chat is free again without recording a send", "[outbox][fair]") {
    rate_limiter limiter(30, 1000);
    CHECK_FALSE(limiter.chat_busy_until("1", 5000));
    CHECK_FALSE(limiter.acquire("1", 5000));
    CHECK(limiter.chat_busy_until("1", 5200) == 6000);
    CHECK(limiter.chat_busy_until("1", 5200) == 6000);
    CHECK_FALSE(limiter.chat_busy_until("2", 5200));
    CHECK_FALSE(limiter.chat_busy_until("", 5200));  // rows that count only against the overall rate
    CHECK_FALSE(limiter.chat_busy_until("1", 6000));
}
