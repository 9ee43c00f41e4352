// Peer (d): the engine of Centrifugo. A server on the Go `centrifuge` library (Debian's 0.15) that subscribes to
// the Redis event channel and publishes every message into one channel, "alerts", which every client subscribes
// to with Centrifuge's JSON protocol. Like the other peers: no auth (every connection is the anonymous user
// "bench"), no filters, no history or recovery; the library's own per-client write queue does the sending.
// Usage: centrifuge-broadcast <port> <redis-uri> [channel]; GET /health answers 200 once subscribed.
package main

import (
	"context"
	"log"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/centrifugal/centrifuge"
	"github.com/gomodule/redigo/redis"
)

const alertsChannel = "alerts"

func main() {
	port := arg(1, "8094")
	redisURI := arg(2, "redis://127.0.0.1:6379")
	eventChannel := arg(3, "tocsin:events")

	cfg := centrifuge.DefaultConfig
	cfg.LogLevel = centrifuge.LogLevelError
	cfg.LogHandler = func(e centrifuge.LogEntry) { log.Printf("centrifuge: %s %v", e.Message, e.Fields) }
	node, err := centrifuge.New(cfg)
	if err != nil {
		log.Fatal(err)
	}
	node.OnConnecting(func(ctx context.Context, e centrifuge.ConnectEvent) (centrifuge.ConnectReply, error) {
		return centrifuge.ConnectReply{Credentials: &centrifuge.Credentials{UserID: "bench"}}, nil
	})
	node.OnConnect(func(client *centrifuge.Client) {
		client.OnSubscribe(func(e centrifuge.SubscribeEvent, cb centrifuge.SubscribeCallback) {
			if e.Channel != alertsChannel {
				cb(centrifuge.SubscribeReply{}, centrifuge.ErrorPermissionDenied)
				return
			}
			cb(centrifuge.SubscribeReply{}, nil)
		})
	})
	if err := node.Run(); err != nil {
		log.Fatal(err)
	}

	var subscribed atomic.Bool
	go forwardEvents(node, redisURI, eventChannel, &subscribed)

	mux := http.NewServeMux()
	mux.Handle("/", centrifuge.NewWebsocketHandler(node, centrifuge.WebsocketConfig{
		ReadBufferSize: 1024, WriteBufferSize: 1024,
		CheckOrigin: func(*http.Request) bool { return true },
	}))
	mux.HandleFunc("/health", func(w http.ResponseWriter, _ *http.Request) {
		if subscribed.Load() {
			w.Write([]byte("UP"))
		} else {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	})
	server := &http.Server{Addr: "127.0.0.1:" + port, Handler: mux}
	go func() {
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
		<-stop
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = node.Shutdown(ctx)
		_ = server.Shutdown(ctx)
	}()
	log.Printf("centrifuge peer on %s, subscribed to %s", port, eventChannel)
	if err := server.ListenAndServe(); err != nil && err != http.ErrServerClosed {
		log.Fatal(err)
	}
}

// forwardEvents publishes each Redis message, as is, into the "alerts" channel of this node's in-memory broker.
func forwardEvents(node *centrifuge.Node, redisURI, channel string, subscribed *atomic.Bool) {
	conn, err := redis.DialURL(redisURI)
	if err != nil {
		log.Fatal(err)
	}
	psc := redis.PubSubConn{Conn: conn}
	if err := psc.Subscribe(channel); err != nil {
		log.Fatal(err)
	}
	for {
		switch v := psc.Receive().(type) {
		case redis.Message:
			if _, err := node.Publish(alertsChannel, v.Data); err != nil {
				log.Printf("publish: %v", err)
			}
		case redis.Subscription:
			subscribed.Store(v.Count > 0)
		case error:
			log.Fatal(v)
		}
	}
}

func arg(i int, def string) string {
	if len(os.Args) > i && strings.TrimSpace(os.Args[i]) != "" {
		return os.Args[i]
	}
	return def
}
