#!/usr/bin/python3
"""The web console in a real headless browser (Debian's chromium, chromium-driver and
python3-selenium) against the real binary on a loopback port with a fresh store:

  tests/browser/console_test.py BINARY [SCREENSHOT_DIR]

The PR desk signs in by a one-time link, submits a draft with an image it draws and uploads,
sees the live content checks and the draft in the queue; the draft's head signs in in another
browser and approves it; the trail and the SLA report show the decision. Also: a phone-sized
viewport, a request without the CSRF token (403, nothing stored), a link used twice or older
than 10 minutes (refused), and an approver kept off someone else's step. With SCREENSHOT_DIR,
the queue, item and report pages are saved there as PNG (the README's pictures)."""
import base64, datetime, json, os, pathlib, re, shutil, sqlite3, subprocess, sys, tempfile, time, unittest, urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait

BINARY = None
SHOTS = None
WAIT = 15  # seconds for anything the page does; generous for a loaded 2-core machine


class Server:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="signoff-browser-")
        self.db = os.path.join(self.dir, "signoff.db")
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": self.dir}
        self.env = env
        with open(os.path.join(self.dir, "server.log"), "wb") as log:
            self.proc = subprocess.Popen([BINARY, "serve", "--db", self.db, "--listen", "127.0.0.1:0"], cwd=self.dir,
                                         env=env, stdout=subprocess.PIPE, stderr=log)
        line = self.proc.stdout.readline().decode()
        match = re.match(r"listening on 127\.0\.0\.1:(\d+)", line)
        if not match:
            raise RuntimeError(f"the server did not start: {line!r}; log: {self.log()}")
        self.base = f"http://127.0.0.1:{match.group(1)}"

    def log(self):
        return pathlib.Path(self.dir, "server.log").read_text(errors="replace")[-4000:]

    def login_link(self, person):
        out = subprocess.run([BINARY, "login-link", person, "--db", self.db], cwd=self.dir, env=self.env,
                             capture_output=True, text=True, check=True).stdout
        token = re.search(r"/login\?token=([0-9A-Za-z_-]+)", out).group(1)
        return f"{self.base}/login?token={token}"

    def rows(self, sql, *args):
        with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True) as db:
            return db.execute(sql, args).fetchall()

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=20)
        self.proc.stdout.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def browser(phone=False):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run",
                "--lang=en-GB", "--window-size=1280,900", "--proxy-server=direct://", "--proxy-bypass-list=*"]:
        options.add_argument(arg)
    if phone:  # a phone's screen, touch and user agent, as Chromium's device emulation gives them
        options.add_experimental_option("mobileEmulation", {
            "deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 3, "touch": True},
            "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36"})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def wait(driver, condition, timeout=WAIT):
    return WebDriverWait(driver, timeout).until(condition)


def text_of(driver, css):
    return wait(driver, ec.visibility_of_element_located((By.CSS_SELECTOR, css))).text


def page_errors(driver):
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE" and "Failed to load resource" not in e["message"]]


# fetch() from inside the signed-in page: the browser sends the session cookie.
FETCH = """const [method, path, body, headers, done] = arguments;
fetch(path, {method, headers: Object.assign({'Content-Type': 'application/json'}, headers), body})
  .then(async r => done({status: r.status, body: await r.text()})).catch(e => done({status: 0, body: String(e)}));"""


def call(driver, method, path, body=None, headers=None):
    return driver.execute_async_script(FETCH, method, path, None if body is None else json.dumps(body), headers or {})


def sign_in(driver, server, person):
    driver.get(server.login_link(person))
    wait(driver, ec.visibility_of_element_located((By.ID, "nav")))
    return driver.execute_async_script("fetch('/api/v1/session').then(r => r.json()).then(arguments[0])")


class ConsoleTest(unittest.TestCase):
    def setUp(self):
        self.server = Server()
        self.drivers = []

    def tearDown(self):
        for d in self.drivers:
            errors = page_errors(d)
            d.quit()
            self.assertEqual(errors, [], "the page logged errors")
        self.server.stop()

    def open(self, phone=False):
        d = browser(phone)
        self.drivers.append(d)
        return d

    def save(self, driver, name):
        if SHOTS:
            os.makedirs(SHOTS, exist_ok=True)
            driver.execute_script("document.getElementById('toast').hidden = true")
            driver.save_screenshot(os.path.join(SHOTS, name))

    def report_total(self, driver, column):
        driver.get(self.server.base + "/#/report")
        return text_of(driver, f"tr[data-role=total] td[data-col={column}]")

    def test_desk_submits_with_an_image_and_the_head_approves_in_another_session(self):
        desk = self.open()
        me = sign_in(desk, self.server, "ddpr")
        self.assertEqual(me["person"], "ddpr")
        self.assertIn("Open items", text_of(desk, "main h1"))
        self.assertEqual(self.report_total(desk, "handled"), "0")

        # An image drawn by the browser itself, saved as a file for the upload field.
        data_url = desk.execute_script("""const c = document.createElement('canvas'); c.width = 1200; c.height = 628;
            const g = c.getContext('2d'); g.fillStyle = '#1f5fbf'; g.fillRect(0, 0, 1200, 628);
            g.fillStyle = '#fff'; g.font = '64px sans-serif'; g.fillText('World Standards Day', 120, 330);
            return c.toDataURL('image/png');""")
        poster = os.path.join(self.server.dir, "poster.png")
        pathlib.Path(poster).write_bytes(base64.b64decode(data_url.split(",", 1)[1]))

        desk.get(self.server.base + "/#/submit")
        wait(desk, ec.visibility_of_element_located((By.CSS_SELECTOR, "form.submit")))
        Select(desk.find_element(By.NAME, "topic")).select_by_value("standards")
        desk.find_element(By.NAME, "title").send_keys("World Standards Day")
        desk.find_element(By.CSS_SELECTOR, "input[name=platform][value=x]").click()
        planned = (datetime.datetime.now() + datetime.timedelta(days=10)).replace(hour=10, minute=0)
        desk.execute_script("const el = document.querySelector('input[name=publish_at]'); el.value = arguments[0];"
                            "el.dispatchEvent(new Event('input', {bubbles: true}));", planned.strftime("%Y-%m-%dT%H:%M"))
        desk.find_element(By.NAME, "body").send_keys("Join us on 14 October. " * 15)  # 345 characters: over X's 280
        failed = wait(desk, lambda d: d.find_elements(By.CSS_SELECTOR, "ul.checks.live li.failed"))
        self.assertIn("Length on x", failed[0].text)
        desk.find_element(By.NAME, "creative").send_keys(poster)
        wait(desk, lambda d: "image/png · 1200×628" in d.find_element(By.CSS_SELECTOR, "ul.uploads").text)
        self.save(desk, "submit.png")
        desk.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait(desk, lambda d: re.search(r"#/items/\d+$", d.current_url))
        item = int(desk.current_url.rsplit("/", 1)[1])
        self.assertIn("World Standards Day", text_of(desk, "h2.item-title"))
        image = wait(desk, ec.visibility_of_element_located((By.CSS_SELECTOR, ".creative img")))
        wait(desk, lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", image) == 1200)
        self.assertEqual(self.server.rows("SELECT status, assignee FROM items WHERE id = ?", item), [("pending", "ddg-std")])

        desk.get(self.server.base + "/#/queue")
        row = wait(desk, ec.visibility_of_element_located((By.CSS_SELECTOR, f"tr[data-item='{item}']")))
        self.assertIn("DDG (Standardisation)", row.text)
        self.save(desk, "queue.png")

        desk.get(self.server.base + "/#/calendar")
        planned_row = wait(desk, ec.visibility_of_element_located((By.CSS_SELECTOR, f"li.planned[data-item='{item}']")))
        self.assertIn("World Standards Day", planned_row.text)
        self.assertIn("10:00", planned_row.text)

        head = self.open()
        self.assertEqual(sign_in(head, self.server, "ddg-std")["admin"], False)
        head.get(f"{self.server.base}/#/items/{item}")
        wait(head, ec.element_to_be_clickable((By.CSS_SELECTOR, "button[data-action=approve]"))).click()
        wait(head, ec.visibility_of_element_located((By.CSS_SELECTOR, "dl.facts .status.approved")))
        self.assertEqual(text_of(head, "dl.facts .status").lower(), "approved")
        trail = text_of(head, "ol.trail")
        self.assertIn("DDG (Standardisation)", trail)
        self.assertEqual(self.server.rows("SELECT status FROM items WHERE id = ?", item), [("approved",)])
        self.assertEqual(self.server.rows("SELECT actor, channel, recorded_by FROM events WHERE item_id = ? AND type = 'approved'", item),
                         [("ddg-std", "console", "console:ddg-std")])
        self.save(head, "item.png")

        # The desk's own pages show it too.
        desk.get(f"{self.server.base}/#/items/{item}")
        wait(desk, lambda d: "Approved" in d.find_element(By.CSS_SELECTOR, "ol.trail").text)
        self.assertEqual(self.report_total(desk, "handled"), "1")
        self.assertEqual(text_of(desk, "tr[data-role=standardisation] td[data-col=on_time]"), "1")
        wait(desk, ec.visibility_of_element_located((By.CSS_SELECTOR, ".chart svg rect.bar.on_time")))
        self.save(desk, "report.png")
        csv = call(desk, "GET", desk.find_element(By.CSS_SELECTOR, "a.button[download]").get_attribute("href"))
        self.assertEqual(csv["status"], 200)
        self.assertRegex(csv["body"], r"(?m)^standardisation,ddg-std,1,1,1,0,0,")

    def test_an_approver_cannot_decide_someone_elses_step(self):
        desk = self.open()
        sign_in(desk, self.server, "ddpr")
        created = call(desk, "POST", "/api/v1/items", {"kind": "draft", "title": "Consumer week", "body": "Know your rights.",
                                                      "topic": "consumer"}, {"X-CSRF-Token": desk.execute_async_script(
                                                          "fetch('/api/v1/session').then(r => r.json()).then(s => arguments[0](s.csrf))")})
        self.assertEqual(created["status"], 201, created["body"])
        item = json.loads(created["body"])["id"]
        head = self.open()
        session = sign_in(head, self.server, "ddg-std")
        head.get(f"{self.server.base}/#/items/{item}")
        wait(head, ec.visibility_of_element_located((By.CSS_SELECTOR, "h2.item-title")))
        self.assertEqual(head.find_elements(By.CSS_SELECTOR, "section.decide"), [])  # ddg-ca's step, not theirs
        refused = call(head, "POST", f"/api/v1/items/{item}/decisions", {"action": "approve", "person": "ddg-ca"},
                       {"X-CSRF-Token": session["csrf"]})
        self.assertEqual(refused["status"], 403)
        refused = call(head, "POST", f"/api/v1/items/{item}/decisions", {"action": "approve", "person": "ddg-std"},
                       {"X-CSRF-Token": session["csrf"]})
        self.assertEqual(refused["status"], 409)
        self.assertEqual(self.server.rows("SELECT status FROM items WHERE id = ?", item), [("pending",)])

    def test_a_request_without_the_csrf_token_is_refused_and_changes_nothing(self):
        desk = self.open()
        sign_in(desk, self.server, "ddpr")
        before = self.server.rows("SELECT count(*) FROM items")[0][0]
        refused = call(desk, "POST", "/api/v1/items", {"kind": "draft", "title": "No token", "body": "x", "topic": "standards"})
        self.assertEqual(refused["status"], 403)
        self.assertEqual(json.loads(refused["body"])["error"]["code"], "csrf_required")
        forged = call(desk, "POST", "/api/v1/items", {"kind": "draft", "title": "Forged", "body": "x", "topic": "standards"},
                      {"X-CSRF-Token": "0" * 64})
        self.assertEqual(forged["status"], 403)
        self.assertEqual(self.server.rows("SELECT count(*) FROM items")[0][0], before)

    def test_a_link_works_once_and_not_after_ten_minutes(self):
        link = self.server.login_link("ddg-std")
        first = self.open()
        first.get(link)
        wait(first, ec.visibility_of_element_located((By.ID, "nav")))
        second = self.open()
        second.get(link)
        self.assertIn("expired or was used already", second.find_element(By.TAG_NAME, "body").text)
        second.get(self.server.base + "/")
        self.assertIn("Send login to the signoff bot", text_of(second, "section.sign-in"))
        old = self.server.login_link("ddg-std")
        with sqlite3.connect(self.server.db) as db:
            db.execute("UPDATE login_tokens SET expires_ms = expires_ms - 600001 WHERE used_ms IS NULL")
        second.get(old)
        self.assertIn("expired or was used already", second.find_element(By.TAG_NAME, "body").text)
        self.assertEqual(second.get_cookies(), [])

    def test_on_a_phone_the_pages_fit_the_screen_and_speak_the_persons_language(self):
        phone = self.open(phone=True)
        sign_in(phone, self.server, "dh-std")  # a Hindi speaker in the demo directory
        self.assertEqual(phone.execute_script("return document.documentElement.lang"), "hi")
        self.assertIn("खुले आइटम", text_of(phone, "main h1"))
        for page in ["#/queue", "#/calendar", "#/people", "#/report"]:
            phone.get(self.server.base + "/" + page)
            wait(phone, ec.invisibility_of_element_located((By.XPATH, "//main/p[text()='लोड हो रहा है…']")))
            wait(phone, ec.visibility_of_element_located((By.CSS_SELECTOR, "main h1")))
            overflow = phone.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
            self.assertLessEqual(overflow, 0, f"{page} is wider than the phone's screen")
        self.save(phone, "phone-report.png")


if __name__ == "__main__":
    BINARY = os.path.abspath(sys.argv[1])
    SHOTS = sys.argv[2] if len(sys.argv) > 2 else None
    unittest.main(argv=[sys.argv[0], "-v"])
