"""Tests of the edX backend: against a local fake gateway, and against a real one when
XAPI_GATEWAY_URL (and XAPI_GATEWAY_TOKEN) are set; the gateway's own test suite sets them.

    python3 -m unittest discover -s contrib/edx -p 'test_*.py' -v
"""
import datetime
import json
import os
import socket
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from xapi_gateway_backend import XapiGatewayBackend

TOKEN = 'fake-gateway-token-0123456789'
LOGGER = 'xapi_gateway_backend'


class FakeGateway:
    """A local /ingest/edx: answers each POST with the next of `statuses`, then 202.

    Records (monotonic time, headers, body) of every request; while `hold` is clear,
    requests wait for it, which keeps the backend's worker busy with one batch.
    """

    def __init__(self, statuses=(), headers=None, detail='bad request'):
        self.statuses = list(statuses)
        self.headers = headers or {}
        self.requests = []
        self.delivered = []  # events answered with 202
        self.hold = threading.Event()
        self.hold.set()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers['Content-Length'])).decode()
                fake.requests.append((time.monotonic(), dict(self.headers), body))
                fake.hold.wait(10)
                status = fake.statuses.pop(0) if fake.statuses else 202
                lines = [line for line in body.split('\n') if line]
                if status == 202:
                    fake.delivered.extend(json.loads(line) for line in lines)
                    answer = {'received': len(lines), 'translated': len(lines), 'statements': len(lines),
                              'ignored': 0, 'rejected': 0, 'errors': []}
                else:
                    # A careless server that echoes the request: the backend must not log it.
                    answer = {'title': 'error', 'status': status, 'detail': '%s (%s)' % (detail, self.headers['Authorization'])}
                raw = json.dumps(answer).encode()
                self.send_response(status)
                for name, value in fake.headers.get(status, {}).items():
                    self.send_header(name, value)
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.url = 'http://127.0.0.1:%d/ingest/edx' % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True).start()

    def wait_for_requests(self, n, timeout=5):
        deadline = time.monotonic() + timeout
        while len(self.requests) < n and time.monotonic() < deadline:
            time.sleep(0.005)
        return len(self.requests) >= n

    def close(self):
        self.hold.set()
        self.server.shutdown()
        self.server.server_close()


def event(n, **extra):
    """A browser play_video in the tracking-log shape."""
    return dict({'event_type': 'play_video', 'event_source': 'browser', 'username': 'learner%d' % n,
                 'time': '2026-03-02T09:00:%02d.123456+00:00' % (n % 60),
                 'event': json.dumps({'id': 'v1', 'currentTime': n, 'code': 'html5'}),
                 'context': {'course_id': 'course-v1:OrgX+CS101+2026', 'user_id': n, 'org_id': 'OrgX', 'path': '/event'}},
                **extra)


class FakeGatewayTest(unittest.TestCase):
    def backend(self, fake, **options):
        options = dict({'flush_interval': 0.02, 'retry_base': 0.01}, **options)
        backend = XapiGatewayBackend(fake.url, TOKEN, **options)
        self.addCleanup(fake.close)
        self.addCleanup(backend.close, 5)  # cleanups run last-in first-out: the backend first
        return backend

    def test_posts_batches_as_ndjson_with_the_bearer_token(self):
        fake = FakeGateway()
        backend = self.backend(fake, batch_size=3)
        for n in range(7):
            backend.send(event(n))
        self.assertTrue(backend.flush(5))
        self.assertEqual([e['context']['user_id'] for e in fake.delivered], list(range(7)))
        for _, headers, body in fake.requests:
            self.assertEqual(headers['Authorization'], 'Bearer ' + TOKEN)
            self.assertEqual(headers['Content-Type'], 'application/x-ndjson')
            self.assertTrue(body.endswith('\n'))
            self.assertLessEqual(len(body.strip().split('\n')), 3)
        self.assertEqual(backend.stats, dict(backend.stats, queued=7, sent=7, failed=0, dropped=0))

    def test_retries_a_503_and_delivers_the_batch_once(self):
        fake = FakeGateway(statuses=[503])
        backend = self.backend(fake)
        with self.assertLogs(LOGGER, 'WARNING') as logs:
            backend.send(event(1))
            self.assertTrue(backend.flush(5))
        self.assertEqual(len(fake.requests), 2)
        self.assertEqual(fake.requests[0][2], fake.requests[1][2])
        self.assertEqual(len(fake.delivered), 1)
        self.assertEqual((backend.stats['sent'], backend.stats['failed']), (1, 0))
        self.assertIn('HTTP 503, retry 1 of 8', logs.output[0])

    def test_waits_as_long_as_retry_after_says(self):
        fake = FakeGateway(statuses=[429], headers={429: {'Retry-After': '1'}})
        backend = self.backend(fake)
        with self.assertLogs(LOGGER, 'WARNING') as logs:
            backend.send(event(1))
            self.assertTrue(backend.flush(5))
        self.assertIn('HTTP 429, retry 1 of 8 in 1.0 s', logs.output[0])
        self.assertEqual(len(fake.requests), 2)
        # The backoff alone would have waited 0.01 s.
        self.assertGreaterEqual(fake.requests[1][0] - fake.requests[0][0], 0.95)
        self.assertEqual(backend.stats['sent'], 1)

    def test_gives_up_after_max_retries_and_counts_the_batch_failed(self):
        fake = FakeGateway(statuses=[500] * 10)
        backend = self.backend(fake, max_retries=2)
        with self.assertLogs(LOGGER, 'WARNING') as logs:
            backend.send(event(1))
            backend.send(event(2))
            self.assertTrue(backend.flush(5))
        self.assertEqual(len(fake.requests), 3)
        self.assertEqual((backend.stats['sent'], backend.stats['failed']), (0, 2))
        self.assertIn('ERROR:%s:xapi-gateway: batch of 2 events failed after 3 attempts' % LOGGER, logs.output)

    def test_retries_network_errors(self):
        with socket.socket() as s:  # a port nobody listens on
            s.bind(('127.0.0.1', 0))
            url = 'http://127.0.0.1:%d/ingest/edx' % s.getsockname()[1]
        backend = XapiGatewayBackend(url, TOKEN, flush_interval=0.02, retry_base=0.01, max_retries=2)
        self.addCleanup(backend.close, 5)
        with self.assertLogs(LOGGER, 'WARNING') as logs:
            backend.send(event(1))
            self.assertTrue(backend.flush(5))
        self.assertEqual(backend.stats['failed'], 1)
        self.assertIn('network error', logs.output[0])

    def test_does_not_retry_a_400_and_counts_the_batch_failed(self):
        fake = FakeGateway(statuses=[400])
        backend = self.backend(fake)
        with self.assertLogs(LOGGER, 'ERROR') as logs:
            backend.send(event(1))
            backend.send(event(2))
            self.assertTrue(backend.flush(5))
        time.sleep(0.1)  # time for a retry, were there one
        self.assertEqual(len(fake.requests), 1)
        self.assertEqual((backend.stats['sent'], backend.stats['failed']), (0, 2))
        self.assertIn('HTTP 400', logs.output[0])

    def test_says_why_a_401_and_a_413_are_refused(self):
        fake = FakeGateway(statuses=[401, 413])
        backend = self.backend(fake, batch_size=1)
        with self.assertLogs(LOGGER, 'ERROR') as logs:
            backend.send(event(1))
            backend.send(event(2))
            self.assertTrue(backend.flush(5))
        self.assertEqual(len(fake.requests), 2)
        self.assertIn('HTTP 401, the token is refused', logs.output[0])
        self.assertIn('HTTP 413, the batch is over the gateway BODY_LIMIT', logs.output[1])

    def test_never_logs_the_token(self):
        fake = FakeGateway(statuses=[503, 401])  # both answers echo the Authorization header
        backend = self.backend(fake)
        with self.assertLogs(LOGGER, 'DEBUG') as logs:
            backend.send(event(1))
            self.assertTrue(backend.flush(5))
        output = '\n'.join(logs.output)
        self.assertIn('token is refused', output)
        self.assertIn('Bearer ***', output)
        self.assertNotIn(TOKEN, output)

    def test_does_not_follow_a_redirect_with_the_token(self):
        fake = FakeGateway(statuses=[302], headers={302: {'Location': 'http://127.0.0.1:9/elsewhere'}})
        backend = self.backend(fake)
        with self.assertLogs(LOGGER, 'ERROR') as logs:
            backend.send(event(1))
            self.assertTrue(backend.flush(5))
        self.assertEqual(len(fake.requests), 1)
        self.assertEqual(backend.stats['failed'], 1)
        self.assertIn('HTTP 302, redirected', logs.output[0])

    def test_drops_and_counts_without_blocking_when_the_queue_is_full(self):
        fake = FakeGateway()
        backend = self.backend(fake, max_queue=5)
        fake.hold.clear()  # the gateway hangs: the worker stays on its first batch
        backend.send(event(0))
        self.assertTrue(fake.wait_for_requests(1))
        with self.assertLogs(LOGGER, 'WARNING') as logs:
            started = time.monotonic()
            for n in range(1, 51):
                backend.send(event(n))
            elapsed = time.monotonic() - started
        self.assertLess(elapsed, 0.5)
        self.assertEqual(backend.stats['dropped'], 45)
        self.assertIn('queue full; 45 dropped so far', logs.output[-1])
        fake.hold.set()
        self.assertTrue(backend.flush(5))
        self.assertEqual([e['context']['user_id'] for e in fake.delivered], list(range(6)))

    def test_serializes_datetimes_and_drops_what_cannot_be_serialized(self):
        class Unprintable:
            def __str__(self):
                raise RuntimeError('no')

        fake = FakeGateway()
        backend = self.backend(fake)
        when = datetime.datetime(2026, 3, 2, 9, 0, 1, 123456, tzinfo=datetime.timezone.utc)
        # edX's native shape: name, data, a datetime timestamp.
        backend.send({'name': 'edx.ui.lms.outline.selected', 'timestamp': when, 'data': {'day': when.date()},
                      'context': {'user_id': 42, 'course_id': 'course-v1:OrgX+CS101+2026'}})
        circular = event(2)
        circular['context']['self'] = circular
        with self.assertLogs(LOGGER, 'WARNING') as logs:
            backend.send(circular)
            backend.send(event(3, odd=Unprintable()))
        self.assertEqual(backend.stats['dropped'], 2)
        self.assertIn('event play_video dropped, not serializable (ValueError); 1 dropped so far', logs.output[0])
        self.assertTrue(backend.flush(5))
        self.assertEqual(fake.delivered, [{'name': 'edx.ui.lms.outline.selected', 'timestamp': '2026-03-02T09:00:01.123456+00:00',
                                           'data': {'day': '2026-03-02'},
                                           'context': {'user_id': 42, 'course_id': 'course-v1:OrgX+CS101+2026'}}])

    def test_drops_and_counts_events_sent_after_close(self):
        fake = FakeGateway()
        backend = self.backend(fake)
        backend.close(5)
        started = time.monotonic()
        with self.assertLogs(LOGGER, 'WARNING'):
            backend.send(event(1))
        self.assertLess(time.monotonic() - started, 0.5)
        self.assertEqual(backend.stats['dropped'], 1)

    @unittest.skipUnless(hasattr(os, 'fork'), 'no fork on this platform')
    def test_a_forked_child_has_its_own_worker(self):
        fake = FakeGateway()
        backend = self.backend(fake)
        pid = os.fork()
        if pid == 0:  # the child, as a gunicorn or Celery worker forked after settings were loaded
            code = 1
            try:
                backend.send(event(7))
                code = 0 if backend.flush(5) and backend.stats['sent'] == 1 else 1
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        self.assertEqual(os.waitstatus_to_exitcode(status), 0)
        self.assertEqual([e['username'] for e in fake.delivered], ['learner7'])


def real_events():
    """Three events as edX writes them to tracking.log."""
    course = 'course-v1:OrgX+CS101+2026'
    problem = 'block-v1:OrgX+CS101+2026+type@problem+block@q1'
    lms = 'https://lms.example.org'
    common = {'username': 'ada', 'ip': '203.0.113.7', 'agent': 'Mozilla/5.0 (X11; Linux x86_64)',
              'host': 'lms.example.org', 'accept_language': 'en-US,en;q=0.9', 'session': 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6'}
    context = {'course_id': course, 'user_id': 42, 'org_id': 'OrgX'}
    return [
        dict(common, event_source='server', event_type='problem_check', name='problem_check', page='x_module',
             time='2026-03-02T09:00:01.000001+00:00', referer='%s/courses/%s/courseware/week1/quiz1/' % (lms, course),
             event={'problem_id': problem, 'grade': 1, 'max_grade': 2, 'success': 'incorrect', 'attempts': 1,
                    'answers': {'%s_2_1' % problem: 'choice_1'}},
             context=dict(context, path='/courses/%s/xblock/%s/handler/xmodule_handler/problem_check' % (course, problem),
                          module={'display_name': 'Q1', 'usage_key': problem})),
        dict(common, event_source='browser', event_type='play_video', name='play_video',
             page='%s/courses/%s/courseware/week1/video1/' % (lms, course), time='2026-03-02T09:00:02.000002+00:00',
             event=json.dumps({'id': 'v1', 'currentTime': 12.5, 'code': 'html5'}), context=dict(context, path='/event')),
        dict(common, event_source='server', event_type='edx.course.enrollment.activated', name='edx.course.enrollment.activated',
             page=None, time='2026-03-02T09:00:03.000003+00:00',
             event={'course_id': course, 'user_id': 42, 'mode': 'audit'},
             context=dict(context, path='/api/enrollment/v1/enrollment')),
    ]


@unittest.skipUnless(os.environ.get('XAPI_GATEWAY_URL'), 'XAPI_GATEWAY_URL is not set: no gateway to post to')
class RealEndpointTest(unittest.TestCase):
    def test_delivers_edx_events_to_the_gateway(self):
        backend = XapiGatewayBackend(os.environ['XAPI_GATEWAY_URL'], os.environ.get('XAPI_GATEWAY_TOKEN', ''),
                                     flush_interval=0.05, max_retries=2)
        self.addCleanup(backend.close, 10)
        for e in real_events():
            backend.send(e)
        self.assertTrue(backend.flush(30))
        self.assertEqual(backend.stats['sent'], 3)
        self.assertEqual(backend.stats['failed'], 0)
        self.assertEqual(backend.stats['rejected'], 0, 'the gateway rejected events: see its errors in the log')

    def test_a_wrong_token_fails_the_batch_without_retrying(self):
        wrong = 'wrong-token-0123456789abcdef'
        # A retry would wait at least 2.5 s (retry_base 5, half jitter).
        backend = XapiGatewayBackend(os.environ['XAPI_GATEWAY_URL'], wrong, flush_interval=0.05, retry_base=5)
        self.addCleanup(backend.close, 10)
        with self.assertLogs(LOGGER, 'ERROR') as logs:
            started = time.monotonic()
            backend.send(real_events()[0])
            self.assertTrue(backend.flush(10))
        self.assertLess(time.monotonic() - started, 2.5)
        self.assertEqual((backend.stats['sent'], backend.stats['failed']), (0, 1))
        self.assertIn('HTTP 401, the token is refused', logs.output[0])
        self.assertNotIn(wrong, '\n'.join(logs.output))


if __name__ == '__main__':
    unittest.main()
