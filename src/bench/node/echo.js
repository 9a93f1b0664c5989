// The Node reference of the echo mode (docs/benchmarks.md, "The media socket's server"): the
// `ws` library, as Twilio's Node sample uses it, greeting and echoing text on /test-websocket
// exactly as the service does. Each message is read as a string, as a server would before
// parsing Twilio's JSON. Install once: npm install --prefix target/node-echo ws@8
const { WebSocketServer } = require('ws');

const GREETING = '{"status":"connected","message":"WebSocket is working!"}';
const server = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT), path: '/test-websocket' });

server.on('connection', (socket) => {
	socket.send(GREETING);
	socket.on('message', (data, isBinary) => {
		if (!isBinary) {
			socket.send(data.toString());
		}
	});
});
