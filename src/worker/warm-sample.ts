/**
 * What ordinary traffic looks like, for the warm-up's order (WarmOptions.sample, waf-program.ts):
 * browsers' header values, a query string, form and JSON bodies and an HTML page. A regex whose
 * required literals occur here would compile on such a request, so it is warmed before those
 * that only attacks reach. Only an order: a request unlike this is inspected the same way, its
 * regexes compile on first use as without a warm-up. ASCII, so it is also a binary string.
 */
export const TYPICAL_TRAFFIC = [
  // request line parts, as browsers and API clients send them
  'GET POST HTTP/1.1 /index.html /shop/products?category=books&page=2&sort=price_asc&q=modern+history',
  '/account/profile /api/orders /search?q=blue+shoes&lang=en /static/app.js /images/logo.png',
  // header values
  'localhost www.example.com',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8 application/json',
  'en-US,en;q=0.9 gzip, deflate, br keep-alive no-cache max-age=0',
  'https://www.example.com/shop/ http://localhost/shop/',
  'session_id=3f9a1c2b7d4e8f60a1b2c3d4; theme=light; consent=1; _ga=GA1.2.123456789.1700000000',
  'application/x-www-form-urlencoded multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW',
  // bodies
  'first_name=Jane&last_name=Doe&email=jane.doe%40example.com&phone=%2B1+555+0100&city=Springfield',
  '{"customer":{"id":1042,"name":"Jane Doe","email":"jane@example.com"},"items":[{"sku":"BK-1","qty":2,"price":12.5}],"note":"Leave at the door"}',
  // a response page
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>',
  '<link rel="stylesheet" href="/static/app.css"></head><body><h1>Thank you</h1><p>Your order is on its way.</p>',
  '<a href="/account">Account</a><form method="post"><input type="text" name="q"></form></body></html>',
].join('\n')
