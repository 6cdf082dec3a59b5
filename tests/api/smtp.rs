//! A small SMTP server for the tests, speaking the protocol over a real TCP
//! socket to lettre, with scripted answers to `MAIL FROM` (to simulate a
//! server that is busy (4xx) or refuses (5xx)) and every accepted message kept.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// A running server.
#[derive(Clone)]
pub struct SmtpServer {
    pub port: u16,
    /// Accepted messages, as received after `DATA`.
    pub messages: Arc<Mutex<Vec<String>>>,
    /// Replies to the next `MAIL FROM` commands, such as "451 4.3.0 busy"; empty means accept.
    pub script: Arc<Mutex<VecDeque<String>>>,
    /// A reply to every `MAIL FROM`, overriding the script (such as a permanent refusal).
    pub always: Arc<Mutex<Option<String>>>,
}

impl SmtpServer {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind SMTP");
        let server = Self {
            port: listener.local_addr().unwrap().port(),
            messages: Arc::default(),
            script: Arc::default(),
            always: Arc::default(),
        };
        let shared = server.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(shared.clone().session(socket));
            }
        });
        server
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn received(&self) -> Vec<String> {
        self.messages.lock().unwrap().clone()
    }

    async fn session(self, socket: tokio::net::TcpStream) {
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read).lines();
        let _ = write.write_all(b"220 localhost test ESMTP\r\n").await;
        while let Ok(Some(line)) = lines.next_line().await {
            let command = line.to_ascii_uppercase();
            let reply = if command.starts_with("EHLO") {
                "250-localhost\r\n250-8BITMIME\r\n250 SMTPUTF8".to_string()
            } else if command.starts_with("MAIL FROM") {
                let always = self.always.lock().unwrap().clone();
                always
                    .or_else(|| self.script.lock().unwrap().pop_front())
                    .unwrap_or_else(|| "250 2.1.0 OK".into())
            } else if command.starts_with("DATA") {
                let _ = write.write_all(b"354 go ahead\r\n").await;
                let mut data = String::new();
                while let Ok(Some(l)) = lines.next_line().await {
                    if l == "." {
                        break;
                    }
                    data.push_str(l.strip_prefix('.').unwrap_or(&l));
                    data.push('\n');
                }
                self.messages.lock().unwrap().push(data);
                "250 2.0.0 queued".into()
            } else if command.starts_with("QUIT") {
                let _ = write.write_all(b"221 bye\r\n").await;
                return;
            } else {
                "250 OK".into()
            };
            if write
                .write_all(format!("{reply}\r\n").as_bytes())
                .await
                .is_err()
            {
                return;
            }
        }
    }
}
