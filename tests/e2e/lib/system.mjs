// lib/system.mjs: the whole system for one test, in real parts: a
// Mosquitto broker on a free loopback port that reads the password, ACL
// and pid files the server writes (as scripts/run.sh does), the content
// server with a fresh data dir and the MQTT and broker-file options, and
// headless players started from a player config the server produced.
// Everything runs on ports chosen at run time; stop() ends every process
// this module started (also when the test fails or node exits).
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { parseMail } from './mail.mjs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// An error that stops until() at once (a process it waits for died).
export class Fatal extends Error {}

// Polls fn until it returns a truthy value or the deadline passes.
export async function until(what, fn, { timeout = 15000, every = 100 } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      if (e instanceof Fatal) throw e;
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await sleep(every);
  }
}

// A free TCP port on loopback (the kernel's choice for port 0).
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const live = new Set(); // child processes still running
process.on('exit', () => {
  for (const c of live) {
    try { c.kill('SIGKILL'); } catch { /* gone */ }
  }
});

function start(cmd, args, logFile, opts = {}) {
  const fd = openSync(logFile, 'a');
  const child = spawn(cmd, args, { stdio: ['ignore', fd, fd], ...opts });
  child.exitCode_ = null;
  live.add(child);
  child.once('exit', (code, signal) => {
    child.exitCode_ = code ?? signal;
    live.delete(child);
  });
  return child;
}

async function stopChild(child, ms = 5000) {
  if (!child || !live.has(child)) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), ms);
  await gone;
  clearTimeout(t);
}

export class System {
  // bins: { server, player, mosquitto }; out: directory for logs and frames.
  constructor({ bins, out, webRoot }) {
    this.bins = bins;
    this.out = out;
    this.webRoot = webRoot;
    this.work = mkdtempSync(join(tmpdir(), 'taulu-flow-'));
    this.players = [];
    mkdirSync(out, { recursive: true });
  }

  // 1. The broker, with empty password and ACL files the server fills in.
  async startBroker() {
    const dir = join(this.work, 'broker');
    mkdirSync(dir, { recursive: true });
    this.brokerFiles = { passwd: join(dir, 'passwd'), acl: join(dir, 'acl'), pid: join(dir, 'mosquitto.pid') };
    writeFileSync(this.brokerFiles.passwd, '');
    writeFileSync(this.brokerFiles.acl, '');
    this.mqttPort = await freePort();
    const conf = join(dir, 'mosquitto.conf');
    writeFileSync(conf, [
      `listener ${this.mqttPort} 127.0.0.1`,
      'allow_anonymous false',
      'use_username_as_clientid true',
      `password_file ${this.brokerFiles.passwd}`,
      `acl_file ${this.brokerFiles.acl}`,
      `pid_file ${this.brokerFiles.pid}`,
      'persistence false',
      process.getuid && process.getuid() === 0 ? 'user root' : '',
      '',
    ].join('\n'));
    this.broker = start(this.bins.mosquitto, ['-c', conf], join(this.out, 'broker.log'));
    await until('the broker to write its pid file', () => {
      if (this.broker.exitCode_ !== null) throw new Fatal(`mosquitto exited (${this.broker.exitCode_}); see broker.log`);
      return existsSync(this.brokerFiles.pid) && readFileSync(this.brokerFiles.pid, 'utf8').trim();
    }, { timeout: 10000 });
  }

  // 2. The server: the first coordinator, then the server on a free port
  // with MQTT and the broker's files. opts.publicUrl: the port is chosen
  // first and the server told its public_url (the cards' QR links, the
  // public pages' feeds); opts.extra: more options; opts.env: more
  // environment (the importers' tests' loopback setting).
  async startServer(coordEmail, coordPassword, opts = {}) {
    const data = join(this.work, 'data');
    mkdirSync(data, { recursive: true });
    const mk = spawnSync(this.bins.server, ['--data-dir', data, '--create-coordinator', coordEmail, '--name', 'Anna Koordinaattori'],
      { input: `${coordPassword}\n`, encoding: 'utf8' });
    if (mk.status !== 0) throw new Error(`--create-coordinator failed: ${mk.stderr}`);
    this.dataDir = data;
    this.mqttPasswordFile = join(this.work, 'server-mqtt-password');
    const portFile = join(this.work, 'port');
    const fixed = opts.publicUrl ? await freePort() : 0;
    const more = fixed ? ['--public-url', `http://127.0.0.1:${fixed}`] : [];
    this.server = start(this.bins.server, [
      '--data-dir', data, '--listen', '127.0.0.1', '--port', String(fixed), '--port-file', portFile,
      ...more, ...(opts.extra || []),
      '--web-root', this.webRoot, '--log-level', 'info',
      '--mqtt-host', '127.0.0.1', '--mqtt-port', String(this.mqttPort),
      '--mqtt-password-file', this.mqttPasswordFile,
      '--broker-passwd', this.brokerFiles.passwd, '--broker-acl', this.brokerFiles.acl,
      '--broker-pid-file', this.brokerFiles.pid,
    ], join(this.out, 'server.log'), opts.env ? { env: { ...process.env, ...opts.env } } : {});
    const port = await until('the server to write its port', () => {
      if (this.server.exitCode_ !== null) throw new Fatal(`the server exited (${this.server.exitCode_}); see server.log`);
      return existsSync(portFile) && readFileSync(portFile, 'utf8').trim();
    }, { timeout: 10000 });
    this.base = `http://127.0.0.1:${port}`;
    await until('/healthz', async () => (await fetch(`${this.base}/healthz`)).ok, { timeout: 10000 });
    return this.base;
  }

  // 3. A headless player in frames mode, from the config text the server
  // returned for the screen. Only the paths of this machine are given on
  // the command line (the command line beats the file): the cache and the
  // server's public key (the config names /etc/infotaulu/server.pub).
  startPlayer(name, configText, { seconds = 300, extra = [] } = {}) {
    const dir = join(this.out, name);
    rmSync(dir, { recursive: true, force: true });
    const frames = join(dir, 'frames');
    mkdirSync(frames, { recursive: true });
    const conf = join(this.work, `${name}.conf`);
    writeFileSync(conf, configText, { mode: 0o600 });
    const log = join(dir, 'player.log');
    const child = start(this.bins.player, [
      '--config', conf, '--headless', '--frames', frames, '--seconds', String(seconds),
      '--closed_behaviour=ignore', '--log_level=info',
      `--cache_dir=${join(this.work, `${name}-cache`)}`,
      `--server_pk_file=${join(this.dataDir, 'keys', 'server.pub')}`,
      ...extra,
    ], log);
    const p = { name, child, frames, log, conf };
    this.players.push(p);
    return p;
  }

  // The retained status a screen published, read from the broker as the
  // server's MQTT account (mosquitto_sub; null when it is not installed).
  mqttStatus(screenWireId, prefix = 'infotaulu') {
    if (!this.bins.mosquittoSub || !existsSync(this.bins.mosquittoSub)) return null;
    const r = spawnSync(this.bins.mosquittoSub, [
      '-h', '127.0.0.1', '-p', String(this.mqttPort), '-u', 'infotaulu-server',
      '-P', readFileSync(this.mqttPasswordFile, 'utf8').trim(),
      '-t', `${prefix}/v1/screens/${screenWireId}/status`, '-C', '1', '-W', '3',
    ], { encoding: 'utf8', timeout: 6000 });
    if (r.status !== 0 || !r.stdout.trim()) return undefined;
    return JSON.parse(r.stdout.trim().split('\n').pop());
  }

  // A real SMTP server: tests/support/smtp_sink.py (Debian's
  // python3-aiosmtpd) on a free loopback port, keeping each message it
  // accepts as a file for mails() to read.
  async startSmtp(src) {
    this.smtpDir = join(this.work, 'smtp');
    this.smtpPort = await freePort();
    const ready = join(this.work, 'smtp.ready');
    this.smtp = start(process.env.TAULU_PYTHON3 || '/usr/bin/python3', [
      join(src, 'tests', 'support', 'smtp_sink.py'), '--port', String(this.smtpPort),
      '--dir', this.smtpDir, '--ready', ready,
    ], join(this.out, 'smtp.log'));
    await until('the SMTP server to listen', () => {
      if (this.smtp.exitCode_ !== null) throw new Fatal(`the SMTP server exited (${this.smtp.exitCode_}); see smtp.log (python3-aiosmtpd?)`);
      return existsSync(ready);
    }, { timeout: 10000 });
  }

  // The server without MQTT, sending e-mail through startSmtp()'s server.
  // Its port is chosen first, so that the links in the messages
  // (public_url) lead back to it.
  async startMailServer(coordEmail, coordPassword, extra = []) {
    const data = join(this.work, 'data');
    mkdirSync(data, { recursive: true });
    const mk = spawnSync(this.bins.server, ['--data-dir', data, '--create-coordinator', coordEmail, '--name', 'Anna Koordinaattori'],
      { input: `${coordPassword}\n`, encoding: 'utf8' });
    if (mk.status !== 0) throw new Error(`--create-coordinator failed: ${mk.stderr}`);
    const port = await freePort();
    this.base = `http://127.0.0.1:${port}`;
    this.server = start(this.bins.server, [
      '--data-dir', data, '--listen', '127.0.0.1', '--port', String(port),
      '--web-root', this.webRoot, '--log-level', 'info', '--public-url', this.base,
      '--smtp-url', `smtp://127.0.0.1:${this.smtpPort}`, '--smtp-tls', 'none',
      '--mail-from', 'infotaulu@pohde.fi', '--mail-retry', '1', ...extra,
    ], join(this.out, 'server.log'));
    await until('/healthz', async () => {
      if (this.server.exitCode_ !== null) throw new Fatal(`the server exited (${this.server.exitCode_}); see server.log`);
      return (await fetch(`${this.base}/healthz`)).ok;
    }, { timeout: 10000 });
    return this.base;
  }

  // A feed server on loopback (tests/support/feed_server.py, Debian's
  // python3): serves `dir` under /feeds/; returns its base URL.
  async startFeeds(src, dir) {
    const portFile = join(this.work, 'feeds.port');
    this.feedsLog = join(this.out, 'feeds-requests.log');
    this.feeds = start(process.env.TAULU_PYTHON3 || '/usr/bin/python3', [
      join(src, 'tests', 'support', 'feed_server.py'), `--dir=feeds=${dir}`,
      `--port-file=${portFile}`, `--log=${this.feedsLog}`,
    ], join(this.out, 'feeds.log'));
    const port = await until('the feed server to listen', () => {
      if (this.feeds.exitCode_ !== null) throw new Fatal(`the feed server exited (${this.feeds.exitCode_}); see feeds.log`);
      return existsSync(portFile) && readFileSync(portFile, 'utf8').trim();
    }, { timeout: 10000 });
    return `http://127.0.0.1:${port}`;
  }

  // Every message the SMTP server accepted, oldest first, read as a mail
  // client would (lib/mail.mjs).
  mails() {
    if (!this.smtpDir || !existsSync(this.smtpDir)) return [];
    return readdirSync(this.smtpDir).filter((f) => f.endsWith('.json')).sort().map((f) => {
      const meta = JSON.parse(readFileSync(join(this.smtpDir, f), 'utf8'));
      return { ...parseMail(readFileSync(join(this.smtpDir, f.replace(/\.json$/, '.eml')))), to: meta.rcpt_tos };
    });
  }

  // Waits for the n-th message (1 = the first) to `to`.
  async mailTo(to, n = 1, timeout = 15000) {
    return until(`message ${n} to ${to}`, () => this.mails().filter((m) => m.to.includes(to))[n - 1], { timeout });
  }

  // Throws Fatal when the broker, the server or a player has exited.
  checkAlive() {
    for (const [what, c] of [['mosquitto', this.broker], ['the server', this.server], ['the SMTP server', this.smtp], ['the feed server', this.feeds], ...this.players.map((p) => [p.name, p.child])]) {
      if (c && c.exitCode_ !== null) throw new Fatal(`${what} exited (${c.exitCode_}); see its log in ${this.out}`);
    }
  }

  async stop() {
    for (const p of this.players) await stopChild(p.child);
    await stopChild(this.server);
    await stopChild(this.broker);
    await stopChild(this.smtp);
    await stopChild(this.feeds);
    rmSync(this.work, { recursive: true, force: true });
  }
}
