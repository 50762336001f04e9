"""The multiplexed channel (issue 7) in real headless Chromium against the real server.

One page watches 20 streams (18 board cards, the participant list and a progressive load), three
tabs of it are open at once, every stream stays live, and the server counts one channel per tab
and no per-stream request. Over HTTP/1.1 a browser opens at most six connections per origin across
all its tabs, so 60 single SSE requests could never all be live at once.
"""
import unittest

from selenium.webdriver.common.by import By

from support import BASE_URL, TIMEOUT, browser_errors, metric, new_driver, rpc, wait, wait_for

CARDS = 18
TABS = 3

START_EXTRA_STREAMS = """
const code = arguments[0];
window.__channelTest = { participantUpdates: 0, progressiveChunks: 0, progressiveEnded: false, errors: [] };
import("/_remote/client.js").then(({ stream }) => {
  (async () => {
    for await (const update of stream("participants.stream", { sessionCode: code })) {
      window.__channelTest.participantUpdates += 1;
      window.__channelTest.lastParticipants = JSON.stringify(update);
    }
  })().catch((error) => window.__channelTest.errors.push(String(error)));
  (async () => {
    for await (const chunk of stream("sessions.loadProgressive", { sessionCode: code })) {
      window.__channelTest.progressiveChunks += 1;
    }
    window.__channelTest.progressiveEnded = true;
  })().catch((error) => window.__channelTest.errors.push(String(error)));
});
"""


class ChannelTests(unittest.TestCase):
    def setUp(self):
        self.driver = None

    def tearDown(self):
        if self.driver is not None:
            errors = browser_errors(self.driver)
            self.driver.quit()
            self.assertEqual(errors, [], "uncaught errors in the page")

    def test_three_tabs_of_twenty_streams_use_one_channel_each_and_stay_live(self):
        session = rpc("sessions.create", {"name": "Channel"})
        code = session["code"]
        rpc("participants.join", {"sessionCode": code, "name": "Ada Lovelace"})
        entities = [rpc("entities.create", {"sessionCode": code, "title": f"Card {index}"}) for index in range(CARDS)]
        wait_for(lambda: metric("remote_open_channels") == 0, message="no channel before the test")

        self.driver = driver = new_driver()
        tabs = []
        for index in range(TABS):
            if index > 0:
                driver.switch_to.new_window("tab")
            driver.get(f"{BASE_URL}/#/board/{code}")
            wait(driver).until(
                lambda d: len(d.find_elements(By.CSS_SELECTOR, '.entity[data-entity-id][data-watch="open"]')) == CARDS)
            driver.execute_script(START_EXTRA_STREAMS, code)
            tabs.append(driver.current_window_handle)

        # Every tab: 18 watches + the participant list + the progressive load, on one channel.
        wait_for(lambda: metric("remote_open_channels") == TABS, message="one channel per tab")
        wait_for(lambda: (metric("remote_channel_subscriptions") or 0) >= TABS * (CARDS + 1),
                 message="every tab's subscriptions on its channel")
        self.assertEqual(metric("remote_open_streams"), 0, "no stream has its own request")
        connections = metric("remote_http_open_connections")
        print(f"\nchannel test: channels={metric('remote_open_channels')} "
              f"subscriptions={metric('remote_channel_subscriptions')} open_streams={metric('remote_open_streams')} "
              f"http_connections={connections}")
        # One channel per tab plus the few short-lived connections Chromium keeps for unary calls
        # (at most six per origin for the whole browser) and this test's own request.
        self.assertLessEqual(connections, TABS + 6 + 1)

        # Every stream stays live: each card changes, someone joins, every tab sees all of it.
        for index, entity in enumerate(entities):
            result = rpc("entities.update", {"entityId": entity["id"], "changes": {"title": f"Live {index}"},
                                             "baseVersion": entity["version"]})
            self.assertFalse(result.get("conflict"), result)
        before = {}
        for handle in tabs:
            driver.switch_to.window(handle)
            before[handle] = driver.execute_script("return window.__channelTest.participantUpdates")
        rpc("participants.join", {"sessionCode": code, "name": "Grace Hopper"})
        for handle in tabs:
            driver.switch_to.window(handle)
            for index, entity in enumerate(entities):
                wait(driver).until(lambda d, entity=entity, index=index: d.execute_script(
                    "const el = document.querySelector(`.entity[data-entity-id='${arguments[0]}'] .entity-title`);"
                    "return el && el.value === arguments[1];", entity["id"], f"Live {index}"),
                    f"card {index} updated in tab {handle}")
            wait(driver).until(lambda d, handle=handle: d.execute_script(
                "return window.__channelTest.participantUpdates > arguments[0] && "
                "(window.__channelTest.lastParticipants || '').includes('Grace Hopper')", before[handle]),
                "the participant list updated")
            wait(driver).until(lambda d: d.execute_script("return window.__channelTest.progressiveEnded"),
                               "the progressive load finished")
            self.assertEqual(driver.execute_script("return window.__channelTest.errors"), [])
            self.assertEqual(driver.find_elements(By.CSS_SELECTOR, '.entity[data-watch="reconnecting"], .entity[data-watch="failed"]'), [])
        self.assertEqual(metric("remote_open_channels"), TABS, "still one channel per tab")
        self.assertEqual(metric("remote_open_streams"), 0)

        # Closing the browser closes every channel, and with them every subscription on the server.
        errors = browser_errors(driver)
        driver.quit()
        self.driver = None
        self.assertEqual(errors, [], "uncaught errors in the page")
        wait_for(lambda: metric("remote_open_channels") == 0, timeout=TIMEOUT, message="the channels closed")
        wait_for(lambda: metric("remote_channel_subscriptions") == 0, message="every subscription ended")


if __name__ == "__main__":
    unittest.main()
