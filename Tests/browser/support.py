"""Shared pieces of the browser tests: the server under test, a Python client, Chromium drivers."""
import json
import os
import re
import time
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.support.ui import WebDriverWait

BASE_URL = os.environ.get("LIVE_SESSIONS_URL", "http://127.0.0.1:8080").rstrip("/")
LARGE_CODE = os.environ.get("LIVE_SESSIONS_LARGE_CODE") or None
OPEN_STREAMS_METRIC = os.environ.get("OPEN_STREAMS_METRIC", "remote_open_streams")
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCREENSHOTS = os.path.join(ROOT, "docs", "screenshots")

# Generous: two cores are shared by several builds while these tests run.
TIMEOUT = float(os.environ.get("BROWSER_TEST_TIMEOUT", "30"))


class RemoteCallError(Exception):
    def __init__(self, status, body):
        super().__init__(f"HTTP {status}: {body}")
        self.status, self.body = status, body


def rpc(function_id, args=None):
    """Calls a remote function the way any HTTP client can (wire protocol v1)."""
    request = urllib.request.Request(
        f"{BASE_URL}/_remote/{function_id}",
        data=json.dumps(args).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            text = response.read().decode()
            return json.loads(text) if text else None
    except urllib.error.HTTPError as error:
        raise RemoteCallError(error.code, error.read().decode(errors="replace")) from None


def metric(name, text=None):
    """A gauge from /metrics (summed over label sets), or None when the server has no such gauge."""
    if text is None:
        with urllib.request.urlopen(f"{BASE_URL}/metrics", timeout=TIMEOUT) as response:
            text = response.read().decode()
    pattern = re.compile(rf"^{re.escape(name)}(?:\{{[^}}]*\}})?\s+([0-9.eE+-]+)\s*$", re.M)
    values = [float(match) for match in pattern.findall(text)]
    return int(sum(values)) if values else None


def open_streams():
    """The server's count of open streams, read from /metrics: single SSE streams plus the
    subscriptions carried by multiplexed channels (issue 7)."""
    with urllib.request.urlopen(f"{BASE_URL}/metrics", timeout=TIMEOUT) as response:
        text = response.read().decode()
    streams = metric(OPEN_STREAMS_METRIC, text)
    if streams is None:
        raise AssertionError(f"/metrics has no {OPEN_STREAMS_METRIC} gauge:\n{text}")
    return streams + (metric("remote_channel_subscriptions", text) or 0)


def wait_for(condition, timeout=TIMEOUT, message="condition", interval=0.05):
    """Polls `condition` until it returns a truthy value (there is no server-side signal to await)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = condition()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message} (last value: {last!r})")


def new_driver(width=1280, height=800):
    options = Options()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--hide-scrollbars", "--force-device-scale-factor=1", f"--window-size={width},{height}",
                     "--disable-background-timer-throttling", "--disable-renderer-backgrounding"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
    driver.set_script_timeout(TIMEOUT)
    return driver


def wait(driver, timeout=TIMEOUT):
    # Live panels re-render: an element found a moment ago may be replaced; look again.
    return WebDriverWait(driver, timeout, poll_frequency=0.05, ignored_exceptions=[StaleElementReferenceException])


def screenshot(driver, name, full_page=False, blur=True):
    """Saves docs/screenshots/{name}.png; `full_page` grows the viewport to the page's height first."""
    os.makedirs(SCREENSHOTS, exist_ok=True)
    if blur:
        driver.execute_script("document.activeElement && document.activeElement.blur && document.activeElement.blur()")
    if not full_page:
        driver.save_screenshot(os.path.join(SCREENSHOTS, f"{name}.png"))
        return
    width = driver.execute_script("return window.innerWidth")
    height = driver.execute_script("return window.innerHeight")
    full = driver.execute_script("return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": max(height, min(full, 2400)), "deviceScaleFactor": 1, "mobile": False})
    try:
        driver.save_screenshot(os.path.join(SCREENSHOTS, f"{name}.png"))
    finally:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})


def browser_errors(driver):
    """Severe console messages (uncaught errors) other than expected network aborts."""
    try:
        entries = driver.get_log("browser")
    except Exception:  # noqa: BLE001 - some drivers do not offer logs
        return []
    return [entry["message"] for entry in entries
            if entry.get("level") == "SEVERE" and "favicon" not in entry["message"]
            and "Failed to load resource" not in entry["message"]]


PEOPLE = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Barbara Liskov", "Edsger Dijkstra", "Margaret Hamilton",
          "Donald Knuth", "Radia Perlman", "Ken Thompson", "Frances Allen", "Leslie Lamport", "Katherine Johnson",
          "Tim Berners-Lee", "Hedy Lamarr", "Niklaus Wirth", "Sophie Wilson", "John Backus", "Jean Bartik"]
