// lib/mail.mjs: reads a message as a mail client would: the headers
// unfolded, RFC 2047 encoded words decoded, a quoted-printable body
// decoded as UTF-8. Only what the server sends (text/plain) is needed.
export function decodeWords(value) {
  return value.replace(/=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=(\s+(?==\?))?/gi, (m, b64) => Buffer.from(b64, 'base64').toString('latin1'))
    .replace(/[\x80-\xff]+/g, (s) => Buffer.from(s, 'latin1').toString('utf8'));
}

export function decodeQp(text) {
  const bytes = [];
  const s = text.replace(/=\r\n/g, '');
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '=' && /^[0-9A-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(s.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8').replace(/\r\n/g, '\n');
}

export function parseMail(raw) {
  const text = raw.toString('latin1');
  const split = text.indexOf('\r\n\r\n');
  const head = text.slice(0, split).replace(/\r\n(?=[ \t])/g, '');
  const headers = {};
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  return { raw: text, headers, subject: decodeWords(headers.subject || ''), body: decodeQp(text.slice(split + 4)) };
}

// The set-password link of a message body.
export function linkOf(mail) {
  const m = /(https?:\/\/\S+\/password\.html#t=[0-9a-f]{64})/.exec(mail.body);
  return m ? m[1] : null;
}
