"""Dates relative to the test server's injected clock (never the machine's, never a fixed year).

The test server's clock stands still unless a test moves it with POST /_test/clock, which also runs
the expiry sweep; `advance_seconds` is a whole number of seconds (negative moves it back)."""
import datetime

DAY_MS = 86400 * 1000


def now_ms(server):
    return server.advance_clock(0)["now_ms"]


def today(server):
    """The server's current UTC date."""
    return datetime.datetime.fromtimestamp(now_ms(server) / 1000, datetime.timezone.utc).date()


def day_start_ms(day):
    """00:00:00.000 UTC of `day`, in Unix milliseconds."""
    return int(datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.timezone.utc).timestamp()) * 1000


def advance_to_start_of(server, day):
    """Moves the clock to the first second of `day` (UTC): at or after its midnight, less than a second
    past it. Returns the clock hook's answer ({"now_ms", "purged"})."""
    delta = day_start_ms(day) - now_ms(server)
    out = server.advance_clock(-(-delta // 1000))  # ceil: never before midnight
    assert day_start_ms(day) <= out["now_ms"] < day_start_ms(day) + 1000, out
    return out


def advance_to_last_second_of(server, day):
    """Moves the clock into the last second of `day` (UTC): before the next midnight, less than a
    second before it."""
    end = day_start_ms(day) + DAY_MS
    out = server.advance_clock((end - 1 - now_ms(server)) // 1000)  # floor: never past midnight
    assert end - 1000 <= out["now_ms"] < end, out
    return out


def mdy(day):
    """The seed's slash form, MM/DD/YYYY."""
    return day.strftime("%m/%d/%Y")


def days(n):
    return datetime.timedelta(days=n)
