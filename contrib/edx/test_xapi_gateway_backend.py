"""Tests of the edX backend: against a local fake, and against a real gateway when
XAPI_GATEWAY_URL and XAPI_GATEWAY_TOKEN are set (the gateway's test suite sets them)."""
import datetime
import json
import os
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from xapi_gateway_backend import XapiGatewayBackend

TOKEN = 'fake-gateway-token-0123456789'


class FakeGateway:
    """Answers each POST with the next of `statuses` (then 202), recording bodies and headers."""

    def __init__(self, statuses=(), retry_after=None):
        self.statuses = list(statuses)
        self.retry_after = retry_after
        self.requests = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers['Content-Length']))
                fake.requests.append((time.monotonic(), dict(self.headers), body.decode()))
                status = fake.statuses.pop(0) if fake.statuses else 202
                self.send_response(status)
                if status == 429 and fake.retry_after is not None:
                    self.send_header('Retry-After', str(fake.retry_after))
                lines = [l for l in body.decode().split('\n') if l]
                answer = json.dumps({'received': len(lines), 'translated': len(lines), 'rejected': 0}).encode()
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.url = 'http://127.0.0.1:%d/ingest/edx' % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def event(n, **extra):
    return dict({'event_type': 'play_video', 'event_source': 'browser', 'username': 'learner%d' % n,
                 'time': '2026-03-02T09:00:%02d.123456+00:00' % (n % 60),
                 'event': json.dumps({'id': 'v1', 'currentTime': n, 'code': 'html5'}),
                 'context': {'course_id': 'course-v1:OrgX+CS101+2026', 'user_id': n, 'org_id': 'OrgX', 'path': '/event'}}, **extra)


class FakeGatewayTest(unittest.TestCase):
    def backend(self, fake, **options):
        options = dict({'flush_interval': 0.05, 'retry_base': 0.01}, **options)
        backend = XapiGatewayBackend(fake.url, TOKEN, **options)
        self.addCleanup(backend.close, 5)
        self.addCleanup(fake.close)
        return backend

    def test_posts_batches_as_ndjson_with_the_bearer_token(self):
        fake = FakeGateway()
        backend = self.backend(fake, batch_size=3)
        for n in range(7):
            backend.send(event(n))
        self.assertTrue(backend.flush(5))
        lines = [json.loads(l) for _, _, body in fake.requests for l in body.split('\n') if l]
        self.assertEqual([l['context']['user_id'] for l in lines], list(range(7)))
        self.assertTrue(all(len(body.strip().split('\n')) <= 3 for _, _, body in fake.requests))
        headers = fake.requests[0][1]
        self.assertEqual(headers['Authorization'], 'Bearer ' + TOKEN)
        self.assertEqual(headers['Content-Type'], 'application/x-ndjson')
        self.assertEqual(backend.stats['sent'], 7)

    def test_retries_a_503_and_delivers_once(self):
        fake = FakeGateway(statuses=[503, 503])
        backend = self.backend(fake)
        backend.send(event(1))
        self.assertTrue(backend.flush(5))
        self.assertEqual(len(fake.requests), 3)
        self.assertEqual(backend.stats, dict(backend.stats, sent=1, failed=0))

    def test_waits_as_long_as_retry_after_says(self):
        fake = FakeGateway(statuses=[429], retry_after=1)
        backend = self.backend(fake)
        backend.send(event(1))
        self.assertTrue(backend.flush(5))
        self.assertEqual(len(fake.requests), 2)
        self.assertGreaterEqual(fake.requests[1][0] - fake.requests[0][0], 0.95)

    def test_does_not_retry_a_400_and_counts_the_batch_failed(self):
        fake = FakeGateway(statuses=[400])
        backend = self.backend(fake)
        with self.assertLogs('xapi_gateway_backend', 'ERROR') as logs:
            backend.send(event(1))
            self.assertTrue(backend.flush(5))
        self.assertEqual(len(fake.requests), 1)
        self.assertEqual(backend.stats['failed'], 1)
        self.assertIn('HTTP 400', logs.output[0])

    def test_never_logs_the_token(self):
        fake = FakeGateway(statuses=[401])
        backend = self.backend(fake)
        with self.assertLogs('xapi_gateway_backend', 'DEBUG') as logs:
            backend.send(event(1))
            backend.flush(5)
        self.assertIn('token is refused', '\n'.join(logs.output))
        self.assertNotIn(TOKEN, '\n'.join(logs.output))

    def test_drops_and_counts_without_blocking_when_the_queue_is_full(self):
        fake = FakeGateway()
        backend = self.backend(fake, max_queue=5, flush_interval=10)
        backend._stop.set()  # keep the worker from draining while the queue fills
        started = time.monotonic()
        with self.assertLogs('xapi_gateway_backend', 'WARNING'):
            for n in range(50):
                backend.send(event(n))
        self.assertLess(time.monotonic() - started, 0.5)
        self.assertGreaterEqual(backend.stats['dropped'], 44)

    def test_serializes_datetimes_and_counts_what_cannot_be_serialized(self):
        fake = FakeGateway()
        backend = self.backend(fake)
        backend.send(event(1, timestamp=datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.timezone.utc)))
        circular = event(2)
        circular['context']['self'] = circular
        with self.assertLogs('xapi_gateway_backend', 'WARNING'):
            backend.send(circular)
        self.assertEqual(backend.stats['dropped'], 1)
        self.assertTrue(backend.flush(5))
        self.assertIn('2026-03-02 09:00:00+00:00', fake.requests[0][2])


@unittest.skipUnless(os.environ.get('XAPI_GATEWAY_URL'), 'XAPI_GATEWAY_URL is not set: no gateway to post to')
class RealEndpointTest(unittest.TestCase):
    def events(self):
        course = 'course-v1:OrgX+CS101+2026'
        context = {'course_id': course, 'user_id': 42, 'org_id': 'OrgX', 'path': '/event'}
        problem = 'block-v1:OrgX+CS101+2026+type@problem+block@q1'
        return [
            {'username': 'ada', 'event_source': 'server', 'event_type': 'problem_check', 'time': '2026-03-02T09:00:01.000001+00:00',
             'event': {'problem_id': problem, 'grade': 1, 'max_grade': 2, 'success': 'incorrect', 'attempts': 1},
             'context': dict(context, module={'display_name': 'Q1', 'usage_key': problem})},
            {'username': 'ada', 'event_source': 'browser', 'event_type': 'play_video', 'time': '2026-03-02T09:00:02.000002+00:00',
             'event': json.dumps({'id': 'v1', 'currentTime': 12.5, 'code': 'html5'}), 'context': context},
            {'username': 'ada', 'event_source': 'server', 'event_type': 'edx.course.enrollment.activated', 'time': '2026-03-02T09:00:03.000003+00:00',
             'event': {'course_id': course, 'user_id': 42, 'mode': 'audit'}, 'context': context},
        ]

    def test_delivers_events_to_the_gateway(self):
        backend = XapiGatewayBackend(os.environ['XAPI_GATEWAY_URL'], os.environ['XAPI_GATEWAY_TOKEN'], flush_interval=0.05)
        self.addCleanup(backend.close, 5)
        for e in self.events():
            backend.send(e)
        self.assertTrue(backend.flush(10))
        self.assertEqual((backend.stats['sent'], backend.stats['failed'], backend.stats['rejected']), (3, 0, 0))

    def test_a_wrong_token_fails_the_batch_without_retrying(self):
        backend = XapiGatewayBackend(os.environ['XAPI_GATEWAY_URL'], 'wrong-token-0123456789abcdef', flush_interval=0.05, retry_base=5)
        self.addCleanup(backend.close, 5)
        with self.assertLogs('xapi_gateway_backend', 'ERROR'):
            backend.send(self.events()[0])
            started = time.monotonic()
            self.assertTrue(backend.flush(10))
        self.assertLess(time.monotonic() - started, 4)
        self.assertEqual(backend.stats['failed'], 1)


if __name__ == '__main__':
    unittest.main()
