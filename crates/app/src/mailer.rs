//! Outgoing e-mail over SMTP, for convocation notices with their iCalendar invitation. Only
//! used when `smtp_url` is configured; otherwise notices stay in the outbox.

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// An SMTP relay and the address notices come from.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("smtp_url no es válida (ejemplos: smtp://usuario:clave@correo.municipio.gob.mx:587?tls=required, smtps://…:465): {0}")]
    BadUrl(String),
    #[error("mail_from no es una dirección válida: {0}")]
    BadFrom(String),
}

impl Mailer {
    /// `smtp://host:25` (plain), `smtp://user:pass@host:587?tls=required` (STARTTLS),
    /// `smtps://user:pass@host:465` (TLS).
    pub fn new(url: &str, from: &str) -> Result<Mailer, MailError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailError::BadUrl(e.to_string()))?
            .timeout(Some(std::time::Duration::from_secs(15)))
            .build();
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| MailError::BadFrom(e.to_string()))?;
        Ok(Mailer { transport, from })
    }

    /// Sends a plain-text message with a calendar invitation attached.
    pub async fn send_with_invitation(
        &self,
        to: &str,
        subject: &str,
        body: &str,
        invitation: &str,
    ) -> Result<(), String> {
        let to: Mailbox = to.parse().map_err(|e| format!("destinatario: {e}"))?;
        let calendar = ContentType::parse("text/calendar; charset=utf-8; method=PUBLISH")
            .map_err(|e| e.to_string())?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .multipart(
                MultiPart::mixed()
                    .singlepart(SinglePart::plain(body.to_owned()))
                    .singlepart(
                        Attachment::new("convocatoria.ics".to_owned())
                            .body(invitation.to_owned(), calendar),
                    ),
            )
            .map_err(|e| e.to_string())?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}
