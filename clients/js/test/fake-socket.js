// A stand-in for the WebSocket class for the client's own logic (merge rules, outbox, back-off);
// everything that involves the server is tested against the real platform (platform.test.js).
export class FakeSocket {
  static opened = [];

  constructor(url) {
    this.url = url;
    this.sent = [];
    this.readyState = 0;
    FakeSocket.opened.push(this);
  }

  static last() {
    return FakeSocket.opened.at(-1);
  }

  open() {
    this.readyState = 1;
    this.onopen?.({});
  }

  receive(frame) {
    this.onmessage?.({data: JSON.stringify(frame)});
  }

  send(text) {
    this.sent.push(JSON.parse(text));
  }

  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({code, reason: ''});
  }

  close(code = 1000, reason = '') {
    this.drop(code, reason);
  }
}
