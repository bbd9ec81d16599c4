-- sqlite3 script for scripts/bench.sh pending: fills the items table of a signoff store that
-- the server has just created (its migrations made the schema; the server is stopped) with
-- @count items, in one transaction, then ANALYZE.
--
--   sqlite3 DB -cmd '.parameter set @count 1000000' -cmd '.parameter set @now_ms 1795305706177' \
--     '.read scripts/bench/pending_store.sql'
--
-- The rows look like the ones the server writes (store/items.cpp insert_item, bot/item.cpp
-- item_doc, bot/actions.cpp submit, bot/transitions.cpp, bot/actions_time.cpp escalate): ids in
-- order of creation, created_ms spread evenly over the year before @now_ms, interim_due 1 h
-- after creation for complaints, queries and feedback; the doc JSON has item_doc's keys in
-- nlohmann's (sorted) order, with the content checks, media, source and published links the
-- server would have recorded. Kinds: 70% draft, 15% complaint, 10% query, 5% feedback. Roles
-- are weighted; standardisation (head ddg-std, whom the scenario asks) gets 15% of the items.
--
-- 98% are closed (published, approved, rejected, changes_requested, withdrawn; resolved,
-- withdrawn), due 24 h after creation (60 min when urgent, 1 to 14 days when given), and, as
-- the server leaves them, have no assignee. 2% are open (drafts `pending`, responses `open` or
-- `acknowledged`), and the store is as a running server would have left it at @now_ms, so that
-- its scheduler (SPEC §7) has nothing to catch up on when started on it: three quarters have a
-- given due between 2 h 10 min and a year ahead and are held by the role's head (or the
-- fallback or dg at a later step, or the fallback while the head is away); the other quarter are
-- late, escalated as bot/actions_time.cpp does (level 1 to the fallback, level 2 a day later to
-- the first observer, dpr). So ddg-std has about 1,900 open items, none overdue, and dpr about
-- 5,000, all overdue.
--
-- The values come from a fixed hash of the id, so every run builds the same store.
-- No revisions, steps, events or timers_fired rows: `pending` reads only items, and every timer
-- due before @now_ms shows in its item (escalation_level, assignee). Digests are not marked sent:
-- a run within an hour after digest_at (09:30 India time in the demo) sends them at start-up.

PRAGMA journal_mode = OFF;  -- a throw-away benchmark store: no rollback journal while loading
PRAGMA synchronous = OFF;
PRAGMA cache_size = -262144;  -- 256 MiB

BEGIN;
WITH RECURSIVE
seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < @count),
-- Five pseudo-random numbers per item from its id (a multiplicative hash, then MINSTD steps).
h1(n, a) AS (SELECT n, (n * 2654435761) % 4294967291 FROM seq),
h2(n, a, b) AS (SELECT n, a, (a % 2147483647 * 48271) % 2147483647 FROM h1),
h3(n, a, b, c) AS (SELECT n, a, b, (b * 48271) % 2147483647 FROM h2),
h4(n, a, b, c, d) AS (SELECT n, a, b, c, (c * 48271) % 2147483647 FROM h3),
h(n, a, b, c, d, e) AS (SELECT n, a, b, c, d, (d * 48271) % 2147483647 FROM h4),
-- The demo configuration's roles (config/demo.json), with their share of the items in percent.
roles(lo, hi, role, head, fallback, topic1, topic2, region) AS (VALUES
    (0, 14, 'standardisation', 'ddg-std', 'dh-std', 'standards', 'consultation', NULL),
    (15, 28, 'consumer-affairs', 'ddg-ca', 'dh-ca', 'consumer', 'grievances', NULL),
    (29, 41, 'certification', 'ddg-cert', 'dh-cert', 'certification', 'licences', NULL),
    (42, 53, 'mscd', 'ddg-mscd', 'dh-mscd', 'marketing', 'awareness', NULL),
    (54, 61, 'nits', 'ddg-nits', 'dh-nits', 'training', 'training', NULL),
    (62, 69, 'laboratory', 'head-lab', 'dh-lab', 'testing', 'testing', NULL),
    (70, 79, 'hallmarking', 'head-hm', 'dh-hm', 'hallmarking', 'hallmarking', NULL),
    (80, 85, 'international-relations', 'head-ir', 'dh-ir', 'international', 'international', NULL),
    (86, 92, 'coordinator-south', 'rc-south', 'dh-std', NULL, NULL, 'south'),
    (93, 99, 'coordinator-west', 'rc-west', 'dh-std', NULL, NULL, 'west')),
-- Platform sets of drafts, the content checks the server records for them ({len} is the body's
-- length; the demo's limits: x 280, weibo 140, wechat 680, facebook 63206) and the links
-- recorded when every platform has been published ({n} is the id).
psets(k, platforms, checks, published) AS (VALUES
    (0, '["x"]',
     '{"detail":"x: {len} of 280 characters","ok":{okx},"rule":"limit:x"}',
     '{"x":"https://x.com/bis_india/status/19{n}"}'),
    (1, '["x","facebook"]',
     '{"detail":"x: {len} of 280 characters","ok":{okx},"rule":"limit:x"},'
     || '{"detail":"facebook: {len} of 63206 characters","ok":true,"rule":"limit:facebook"}',
     '{"facebook":"https://www.facebook.com/bisindia/posts/{n}","x":"https://x.com/bis_india/status/19{n}"}'),
    (2, '["facebook"]',
     '{"detail":"facebook: {len} of 63206 characters","ok":true,"rule":"limit:facebook"}',
     '{"facebook":"https://www.facebook.com/bisindia/posts/{n}"}'),
    (3, '["weibo","wechat"]',
     '{"detail":"weibo: {len} of 140 characters","ok":{okw},"rule":"limit:weibo"},'
     || '{"detail":"wechat: {len} of 680 characters","ok":{okc},"rule":"limit:wechat"}',
     '{"wechat":"https://mp.weixin.qq.com/s/bis{n}","weibo":"https://weibo.com/bisindia/{n}"}'),
    (4, '["x","facebook","wechat"]',
     '{"detail":"x: {len} of 280 characters","ok":{okx},"rule":"limit:x"},'
     || '{"detail":"facebook: {len} of 63206 characters","ok":true,"rule":"limit:facebook"},'
     || '{"detail":"wechat: {len} of 680 characters","ok":{okc},"rule":"limit:wechat"}',
     '{"facebook":"https://www.facebook.com/bisindia/posts/{n}","wechat":"https://mp.weixin.qq.com/s/bis{n}",'
     || '"x":"https://x.com/bis_india/status/19{n}"}'),
    (5, '["facebook","wechat"]',
     '{"detail":"facebook: {len} of 63206 characters","ok":true,"rule":"limit:facebook"},'
     || '{"detail":"wechat: {len} of 680 characters","ok":{okc},"rule":"limit:wechat"}',
     '{"facebook":"https://www.facebook.com/bisindia/posts/{n}","wechat":"https://mp.weixin.qq.com/s/bis{n}"}')),
texts(k, title, body) AS (VALUES
    (0, 'World Standards Day: standards make products safer',
     'World Standards Day is celebrated every year on 14 October. Join us for talks on how standards make '
     || 'products safer and trade fairer, a quiz for students, and an open house at our regional laboratories. '
     || 'Standards touch everything from the helmet you wear to the water you drink; come and see how they are '
     || 'written, tested and certified, and how you can take part in public consultations on new drafts.'),
    (1, 'Check the ISI mark before you buy',
     'Before you buy an electrical appliance, a pressure cooker or a helmet, check the ISI mark and the '
     || 'licence number on it. The BIS CARE app tells you in seconds whether the licence is valid and who holds '
     || 'it. If the mark looks wrong, report it in the app or write to us: every complaint is looked into, and '
     || 'counterfeit marks are taken up with the police and the courts.'),
    (2, 'Hallmarking of gold jewellery: what HUID means for you',
     'Every piece of hallmarked gold jewellery now carries a six-digit HUID code. Enter it in the BIS CARE '
     || 'app to see the jeweller, the assaying centre, the purity and the date of hallmarking. Buy only '
     || 'hallmarked jewellery, keep the bill, and ask for the purity to be shown on it; if the purity is '
     || 'found short, you are entitled to compensation of twice the difference plus the testing charges.'),
    (3, 'Draft standard on two-wheeler helmets open for comment',
     'The draft revision of the standard for protective helmets for two-wheeler riders is open for public '
     || 'comment for sixty days. It tightens the impact tests, adds a chin-strap durability test and new '
     || 'requirements for ventilation in hot climates. Manufacturers, testing laboratories, consumer groups '
     || 'and riders are invited to send comments through the standards portal before the closing date.'),
    (4, 'Consumer awareness programme this Saturday',
     'A consumer awareness programme will be held this Saturday at the district collectorate auditorium from '
     || '10:00. Officers will explain the ISI mark, hallmarking and the BIS CARE app, and answer questions. '
     || 'Entry is free and open to all; self-help groups, students and shopkeepers are especially welcome. '
     || 'Bring a product you are unsure about and we will show you how to check its certification.'),
    (5, 'New laboratory recognised for testing toys',
     'A new laboratory has been recognised for testing toys for safety against the Indian standards for '
     || 'mechanical, flammability and chemical properties. Manufacturers and importers can now have samples '
     || 'tested closer to home, and turnaround for toy certification is expected to fall from six weeks to '
     || 'three. The list of recognised laboratories and their scopes is on our website.'),
    (6, 'Training course on quality management systems',
     'The national institute of training for standardisation announces a five-day course on quality '
     || 'management systems for small and medium enterprises, covering documentation, internal audits, '
     || 'corrective action and preparing for certification. Seats are limited; registrations close a week '
     || 'before the course begins, and participants receive a certificate on completing the assessment.'),
    (7, 'हॉलमार्क वाले आभूषण ही खरीदें',
     'सोने के हर हॉलमार्क वाले आभूषण पर अब छह अंकों का HUID कोड होता है। BIS CARE ऐप में यह कोड डालकर '
     || 'जौहरी, परख केंद्र, शुद्धता और हॉलमार्किंग की तारीख देखें। केवल हॉलमार्क वाले आभूषण खरीदें, बिल '
     || 'संभालकर रखें और उस पर शुद्धता लिखवाएँ। शुद्धता कम पाए जाने पर आप अंतर की दोगुनी राशि और जाँच '
     || 'शुल्क के हकदार हैं। किसी भी शिकायत के लिए ऐप या हमारी वेबसाइट का उपयोग करें।')),
-- Per item: kind, whether open (and if so, whether late), role row, platform set, text, creation.
base AS (
  SELECT h.n, h.a, h.b, h.c, h.d, h.e,
         CASE WHEN b % 100 < 70 THEN 'draft' WHEN b % 100 < 85 THEN 'complaint'
              WHEN b % 100 < 95 THEN 'query' ELSE 'feedback' END AS kind,
         a % 1000 < 20 AS is_open,
         a % 1000 < 20 AND (e / 7) % 4 = 0 AS late,  -- a quarter of the open items are past due
         (a / 1000) % 100 AS s100,          -- which closed (or open) status, which step
         roles.role, roles.head, roles.fallback, roles.region,
         CASE WHEN roles.topic1 IS NULL THEN NULL WHEN d % 2 = 0 THEN roles.topic1 ELSE roles.topic2 END AS topic,
         CASE WHEN (d / 2) % 100 < 70 THEN 'general' WHEN (d / 2) % 100 < 90 THEN 'sensitive' ELSE 'major' END AS tier,
         (b / 100) % 6 AS pk,
         (c / 100) % 8 AS tk,
         80 + (d / 200) % 300 AS blen,     -- body length in characters
         (d / 60000) % 20 = 0 AS urgent0,
         (d / 1200000) % 10 = 0 AS due_given0,
         @now_ms - 31536000000 + (h.n * 31536000000) / @count + (a % 60000) AS created_ms
  FROM h CROSS JOIN roles ON c % 100 BETWEEN roles.lo AND roles.hi),  -- CROSS: ids stay in order
-- Deadlines. Closed and late items: 24 h after creation (60 min when urgent, 1 to 14 days when
-- given), a late one at least 1 h ago. Open items not late: a given due 2 h 10 min to a year
-- ahead (so none is within remind_before_hours of it when the server starts).
dued AS (
  SELECT base.*,
         CASE WHEN due_given0 THEN created_ms + 86400000 * (1 + (a / 100000) % 14)
              WHEN urgent0 THEN created_ms + 3600000 ELSE created_ms + 86400000 END AS due0
  FROM base),
timed AS (
  SELECT dued.*,
         CASE WHEN is_open AND NOT late THEN 0 ELSE urgent0 END AS urgent,
         CASE WHEN is_open AND NOT late THEN 1 ELSE due_given0 END AS due_given,
         CASE WHEN is_open AND NOT late THEN @now_ms + 7800000 + (e % 100000) * 315360 + (e / 100000) % 315360
              WHEN late THEN min(@now_ms - 3600000, due0) ELSE due0 END AS due_ms
  FROM dued),
-- Who holds an open item: the role's head, or the fallback (a sensitive draft at its second
-- step; a response while the head is away) or dg (a major draft at its second step).
-- Escalation (bot/actions_time.cpp): at due, level 1, to the fallback (level 2 at once when the
-- fallback holds it); one SLA period (24 h) later, level 2, to the first observer, dpr.
held AS (
  SELECT timed.*,
         CASE WHEN kind = 'draft' AND tier = 'sensitive' AND s100 % 2 = 1 THEN fallback
              WHEN kind = 'draft' AND tier = 'major' AND s100 % 2 = 1 THEN 'dg'
              WHEN kind <> 'draft' AND s100 % 10 = 3 THEN fallback
              ELSE head END AS holder,
         CASE WHEN NOT is_open THEN iif((a / 10) % 10 = 0, 1, 0)  -- a few closed ones had escalated
              WHEN due_ms + 86400000 <= @now_ms THEN 2 WHEN due_ms <= @now_ms THEN 1 ELSE 0 END AS level0
  FROM timed),
rows AS (
  SELECT held.*,
         CASE WHEN kind = 'draft'
              THEN CASE WHEN is_open THEN 'pending' WHEN s100 < 55 THEN 'published' WHEN s100 < 70 THEN 'approved'
                        WHEN s100 < 80 THEN 'rejected' WHEN s100 < 92 THEN 'changes_requested' ELSE 'withdrawn' END
              ELSE CASE WHEN is_open THEN CASE WHEN s100 < 70 THEN 'open' ELSE 'acknowledged' END
                        WHEN s100 < 92 THEN 'resolved' ELSE 'withdrawn' END END AS status,
         iif(is_open AND level0 = 1 AND holder = fallback, 2, level0) AS level,
         CASE WHEN NOT is_open THEN NULL  -- the server clears the assignee of a closed item
              WHEN level0 = 2 OR (level0 = 1 AND holder = fallback) THEN 'dpr'
              WHEN level0 = 1 THEN fallback
              ELSE holder END AS assignee,
         CASE WHEN is_open AND kind <> 'draft' AND (s100 % 10 = 3 OR level0 >= 1) THEN head END AS assignee_for
  FROM held)
INSERT INTO items (id, kind, status, role, assignee, revision, urgent, due_ms, interim_due_ms, external_ref,
                   submitted_by, doc, created_ms, updated_ms, escalation_level)
SELECT n, kind, status, role, assignee,
       CASE WHEN kind <> 'draft' THEN 1 WHEN d % 20 < 2 THEN 3 WHEN d % 20 < 5 THEN 2 ELSE 1 END,
       urgent, due_ms,
       CASE WHEN kind <> 'draft' THEN min(due_ms, created_ms + 3600000) END,
       CASE WHEN kind <> 'draft' THEN 'AG-' || n WHEN b % 10 < 3 THEN 'AG-D-' || n END,
       CASE WHEN b % 10 < 4 THEN 'agency' ELSE 'prdesk' END,
       json_object(
         'assignee_for', assignee_for,
         'body', CASE WHEN kind = 'draft' THEN substr(texts.body, 1, blen)
                      ELSE substr('Regarding ' || lower(substr(texts.title, 1, 1)) || substr(texts.title, 2) || ': '
                                  || texts.body, 1, blen) END,
         'checks', json(CASE WHEN kind = 'draft' THEN
                          '[' || replace(replace(replace(replace(psets.checks, '{len}', blen),
                                   '{okx}', iif(blen <= 280, 'true', 'false')), '{okw}', iif(blen <= 140, 'true', 'false')),
                                   '{okc}', iif(blen <= 680, 'true', 'false'))
                          || ',{"detail":"no prohibited terms","ok":true,"rule":"prohibited"}'
                          || CASE (c / 800) % 3
                               WHEN 1 THEN ',{"detail":"media[0]: image/jpeg, 2048 KB","ok":true,"rule":"media[0]"}'
                               WHEN 2 THEN ',{"detail":"media[0]: image/png, 300 KB","ok":true,"rule":"media[0]"}'
                               ELSE '' END || ']'
                        ELSE '[]' END),
         'due_given', json(iif(due_given, 'true', 'false')),
         'escalation_level', level,
         'media', json(CASE WHEN kind <> 'draft' THEN '[]'
                       ELSE CASE (c / 800) % 3
                              WHEN 1 THEN '[{"bytes":2097152,"type":"image/jpeg","url":"https://media.example.org/' || n || '.jpg"}]'
                              WHEN 2 THEN '[{"bytes":307200,"type":"image/png","url":"https://media.example.org/' || n || '.png"}]'
                              ELSE '[]' END END),
         'platforms', json(CASE WHEN kind = 'draft' THEN psets.platforms ELSE '[]' END),
         'published', json(CASE WHEN status = 'published' THEN replace(psets.published, '{n}', n) ELSE '{}' END),
         'region', region,
         'source', json(CASE WHEN kind = 'draft' THEN 'null'
                        ELSE json_object('author', '@citizen' || (d % 99991),
                                         'platform', CASE pk WHEN 0 THEN 'x' WHEN 1 THEN 'facebook' WHEN 2 THEN 'email'
                                                      WHEN 3 THEN 'x' WHEN 4 THEN 'whatsapp' ELSE 'facebook' END,
                                         'received_at', strftime('%Y-%m-%dT%H:%M:%fZ', (created_ms - 600000) / 1000.0, 'unixepoch'),
                                         'url', 'https://x.com/citizen' || (d % 99991) || '/status/18' || n) END),
         'tier', tier,
         'title', CASE kind WHEN 'draft' THEN texts.title WHEN 'complaint' THEN 'Complaint: ' || texts.title
                            WHEN 'query' THEN 'Query: ' || texts.title ELSE 'Feedback: ' || texts.title END,
         'topic', topic),
       created_ms,
       CASE WHEN NOT is_open THEN min(@now_ms, created_ms + 60000 * (5 + (c / 3000) % 2880))
            WHEN level = 2 THEN min(@now_ms, due_ms + 86400000) WHEN level = 1 THEN due_ms
            ELSE created_ms + (d % 600000) END,
       level
FROM rows CROSS JOIN psets ON psets.k = rows.pk CROSS JOIN texts ON texts.k = rows.tk;
COMMIT;

ANALYZE;
PRAGMA journal_mode = WAL;  -- back to what the server uses
