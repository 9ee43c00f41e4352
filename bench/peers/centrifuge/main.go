// Peer (d): the engine of Centrifugo. A server on the Go `centrifuge` library (Debian's 0.15) that subscribes to
// the Redis event channel and publishes every message into one channel, "alerts", which every client subscribes
// to with Centrifuge's JSON protocol. No filters; the library's own per-client write queue does the sending.
//
// Auth: with -jwt-public-key, every connect command must carry an RS256 JWT (the `token` field, where the library
// hands it to OnConnecting), verified as Tocsin's gateway does it: signature with the run's public key, `iss`,
// `exp`, and `sub` as the user; anything else is refused (DisconnectInvalidToken). Without it, every connection
// is the anonymous user "bench" (the peer's first mode, kept for manual runs).
//
// Broker: -broker memory (default): one instance, no history. -broker redis: the library's Redis broker with
// channel history in Redis streams, so several instances share the channel and a client that moves to another
// instance recovers what it missed from its last offset (subscribe with `recover`), Centrifuge's analogue of
// Tocsin's `sync`. With the Redis broker exactly one process must forward (-forward); the others only serve.
//
// Usage: centrifuge-broadcast [flags] <port> <redis-uri> [event-channel]; GET /health answers 200 once ready.
package main

import (
	"context"
	"flag"
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
	publicKeyPath := flag.String("jwt-public-key", "", "PEM (SPKI) RSA public key; empty: anonymous connections")
	issuer := flag.String("jwt-issuer", "https://tocsin.dev/local", "required iss claim")
	broker := flag.String("broker", "memory", "memory | redis (history and recovery across instances)")
	forward := flag.Bool("forward", true, "subscribe to the Redis event channel and publish into \"alerts\"")
	historySize := flag.Int("history-size", 10000, "redis broker: publications kept per channel")
	historyTTL := flag.Duration("history-ttl", 10*time.Minute, "redis broker: how long publications are kept")
	flag.Parse()
	port := arg(0, "8094")
	redisURI := arg(1, "redis://127.0.0.1:6379")
	eventChannel := arg(2, "tocsin:events")

	var verifier *jwtVerifier
	if *publicKeyPath != "" {
		v, err := newJWTVerifier(*publicKeyPath, *issuer)
		if err != nil {
			log.Fatal(err)
		}
		verifier = v
	}

	cfg := centrifuge.DefaultConfig
	cfg.LogLevel = centrifuge.LogLevelError
	cfg.LogHandler = func(e centrifuge.LogEntry) { log.Printf("centrifuge: %s %v", e.Message, e.Fields) }
	node, err := centrifuge.New(cfg)
	if err != nil {
		log.Fatal(err)
	}
	useRedis := *broker == "redis"
	if useRedis {
		shard, err := centrifuge.NewRedisShard(node, centrifuge.RedisShardConfig{Address: redisURI})
		if err != nil {
			log.Fatal(err)
		}
		b, err := centrifuge.NewRedisBroker(node, centrifuge.RedisBrokerConfig{
			Prefix: "centrifuge", UseStreams: true, Shards: []*centrifuge.RedisShard{shard},
		})
		if err != nil {
			log.Fatal(err)
		}
		node.SetBroker(b)
	} else if *broker != "memory" {
		log.Fatalf("unknown broker %q", *broker)
	}

	node.OnConnecting(func(ctx context.Context, e centrifuge.ConnectEvent) (centrifuge.ConnectReply, error) {
		if verifier == nil {
			return centrifuge.ConnectReply{Credentials: &centrifuge.Credentials{UserID: "bench"}}, nil
		}
		user, err := verifier.verify(e.Token, time.Now())
		if err != nil {
			return centrifuge.ConnectReply{}, centrifuge.DisconnectInvalidToken
		}
		return centrifuge.ConnectReply{Credentials: &centrifuge.Credentials{UserID: user}}, nil
	})
	node.OnConnect(func(client *centrifuge.Client) {
		client.OnSubscribe(func(e centrifuge.SubscribeEvent, cb centrifuge.SubscribeCallback) {
			if e.Channel != alertsChannel {
				cb(centrifuge.SubscribeReply{}, centrifuge.ErrorPermissionDenied)
				return
			}
			// Recover needs the channel's history, which only the Redis broker keeps here.
			cb(centrifuge.SubscribeReply{Options: centrifuge.SubscribeOptions{Recover: useRedis}}, nil)
		})
	})
	if err := node.Run(); err != nil {
		log.Fatal(err)
	}

	var ready atomic.Bool
	if *forward {
		var opts []centrifuge.PublishOption
		if useRedis {
			opts = append(opts, centrifuge.WithHistory(*historySize, *historyTTL))
		}
		go forwardEvents(node, redisURI, eventChannel, opts, &ready)
	} else {
		ready.Store(true)
	}

	mux := http.NewServeMux()
	mux.Handle("/", centrifuge.NewWebsocketHandler(node, centrifuge.WebsocketConfig{
		ReadBufferSize: 1024, WriteBufferSize: 1024,
		CheckOrigin: func(*http.Request) bool { return true },
	}))
	mux.HandleFunc("/health", func(w http.ResponseWriter, _ *http.Request) {
		if ready.Load() {
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
	log.Printf("centrifuge peer on %s, broker %s, forward %v, jwt %v", port, *broker, *forward, verifier != nil)
	if err := server.ListenAndServe(); err != nil && err != http.ErrServerClosed {
		log.Fatal(err)
	}
}

// forwardEvents publishes each Redis message, as is, into the "alerts" channel through the node's broker (the
// in-memory one, or the Redis broker, which adds it to the channel's history and reaches every instance).
func forwardEvents(node *centrifuge.Node, redisURI, channel string, opts []centrifuge.PublishOption, ready *atomic.Bool) {
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
			if _, err := node.Publish(alertsChannel, v.Data, opts...); err != nil {
				log.Printf("publish: %v", err)
			}
		case redis.Subscription:
			ready.Store(v.Count > 0)
		case error:
			log.Fatal(v)
		}
	}
}

func arg(i int, def string) string {
	if flag.NArg() > i && strings.TrimSpace(flag.Arg(i)) != "" {
		return flag.Arg(i)
	}
	return def
}
