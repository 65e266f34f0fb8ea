#!/usr/bin/env python3
"""Deterministic benchmark corpus for wabalint (Python 3.11, standard library only).

    python3 benches/generate.py --count 10000 --out /tmp/wabalint-bench/10000 [--seed 42]

Writes COUNT manifest files into subdirectories of OUT (`d0000/`, `d0001/`, … with about
1,000 files each):

- message templates in Meta's Graph API shape (create requests and GET-response objects), about
  70 % JSON and 30 % YAML, 200–1,500 bytes each, in eleven languages, UTILITY / MARKETING /
  AUTHENTICATION, 1–4 components, positional and named placeholders with examples, TEXT and media
  headers, footers, quick-reply / URL / phone buttons;
- about 80 % of the templates are clean under `wabalint check --profile meta`, about 20 % carry
  exactly one violation drawn from VIOLATIONS;
- about 1 % of the files are phone-number, account and campaign manifests (all clean under
  `meta`; campaigns name an account of the corpus by a relative path and an approved template of
  the corpus).

Every template has a unique (name, language), so the cross-file duplicate rule does not fire.
The same --seed and --count always give byte-identical files. A hidden `OUT/.corpus.tsv`
(skipped by wabalint's directory walk) lists every file with its kind and the violation it
carries (`-` for clean); `benches/verify_corpus.py` compares it with wabalint's findings.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys

FILES_PER_DIR = 1000
VIOLATION_SHARE = 0.20
JSON_SHARE = 0.70
# Shares of the non-template manifests (together about 1 % of the files).
PHONE_SHARE, ACCOUNT_SHARE, CAMPAIGN_SHARE = 0.004, 0.003, 0.003

# ── Brands ───────────────────────────────────────────────────────────────────────────────────

BRANDS = [
    ("Acme Outdoor Gear", "acme-outdoor.com"),
    ("Lumen Telecom", "lumentelecom.net"),
    ("Casa Verde Móveis", "casaverde.com.br"),
    ("Nordwind Reisen", "nordwind-reisen.de"),
    ("Banco Aurora", "bancoaurora.mx"),
    ("Maison Lavande", "maisonlavande.fr"),
    ("Toko Sinar Jaya", "sinarjaya.co.id"),
    ("Farmacia San Marco", "farmaciasanmarco.it"),
    ("Fietsenhuis Delft", "fietsenhuisdelft.nl"),
    ("UrbanFit Studios", "urbanfit.io"),
    ("Kaveri Electronics", "kaverielectronics.in"),
    ("Pet Planet", "petplanet.shop"),
]

# ── Language data ────────────────────────────────────────────────────────────────────────────
#
# Texts use named slots ({{first_name}}); the renderer turns them into positional ({{1}}) or named
# placeholders. `%BRAND%` is replaced by the brand. Slots: first_name, order_id, date, time,
# amount, carrier, store, product, percent, points, ticket_id, city.

EN = {
    "values": {
        "first_name": ["Ana", "James", "Priya", "Michael", "Sofia", "Daniel", "Emma", "Omar"],
        "date": ["March 14", "Friday, June 6", "12/03/2026", "next Tuesday", "October 2"],
        "time": ["9:30 AM", "2:15 PM", "between 9 and 11 AM", "17:45"],
        "amount": ["$49.90", "$1,299.00", "$18.75", "$240.00"],
        "carrier": ["UPS", "FedEx", "DHL Express", "USPS"],
        "store": ["Downtown Mall", "Oak Street", "Harbor Point", "Main Square"],
        "product": ["Trail Runner 2", "Alpine 3 tent", "Galaxy Buds", "the travel kit"],
        "percent": ["20%", "30%", "15%", "50%"],
        "points": ["1,250", "380", "4,900"],
        "ticket_id": ["#48213", "CS-90412", "#10077"],
        "city": ["Austin", "Chicago", "Seattle", "Denver"],
        "order_id": ["A-1042", "100-2231-77", "W83920", "ORD-55120"],
    },
    "scenarios": [
        ("UTILITY", "order_shipped", "Order {{order_id}} is on its way",
         "Hi {{first_name}}, good news: your order {{order_id}} has shipped with {{carrier}} and should arrive on {{date}}. You can follow the parcel with the button below."),
        ("UTILITY", "appointment_reminder", "Appointment reminder",
         "Hello {{first_name}}, this is a reminder of your appointment at our {{store}} location on {{date}} at {{time}}. Please arrive ten minutes early and bring a photo ID."),
        ("UTILITY", "payment_received", "Payment received",
         "Thanks, {{first_name}}! We received your payment of {{amount}} for order {{order_id}}. A receipt has been sent to the email address on your account."),
        ("UTILITY", "delivery_window", "Delivery on {{date}}",
         "Your delivery from %BRAND% is scheduled between {{time}} on {{date}}. Someone needs to be home to sign for it, or you can choose a new time below."),
        ("UTILITY", "ticket_update", "Ticket {{ticket_id}} updated",
         "Hi {{first_name}}, your support request {{ticket_id}} has been updated by our team. Reply to this message if the issue is not solved yet."),
        ("MARKETING", "spring_sale", "Spring sale starts now",
         "Hi {{first_name}} 🌷 our spring sale is here: {{percent}} off selected items until {{date}}. Shop online or visit us at {{store}} before the best sizes are gone."),
        ("MARKETING", "cart_reminder", "You left something behind",
         "Still thinking about {{product}}, {{first_name}}? It is waiting in your cart, and shipping is free on orders over {{amount}} this week only."),
        ("MARKETING", "loyalty_points", "Your points balance",
         "Hi {{first_name}}, you have {{points}} loyalty points with %BRAND%. Redeem them for discounts on your next purchase before they expire at the end of the year."),
    ],
    "extras": [
        "If you have any questions, just reply to this message.",
        "Thank you for choosing %BRAND%.",
        "Our team is available Monday to Saturday, 8 AM to 8 PM.",
        "You can manage your notification preferences in your account settings at any time.",
        "*Please do not share this message with anyone outside your household.*",
        "Opening hours may vary on public holidays.",
        "Prices include sales tax where applicable.",
    ],
    "footers": ["%BRAND%", "Reply STOP to unsubscribe", "Sent by %BRAND% customer care", "Terms apply"],
    "qr": ["Track my order", "Talk to an agent", "Reschedule", "Confirm", "Not interested", "Yes, please", "Remind me later", "Stop promotions"],
    "url": ["View details", "Shop now", "Track parcel", "Manage booking"],
    "phone": ["Call us", "Call support"],
    "long_header": "Important information about your recent order and your delivery options",
    "long_footer": "This message was sent by %BRAND% because you opted in to receive order updates on WhatsApp",
    "long_label": "Talk to a customer service agent now",
}

DE = {
    "values": {
        "first_name": ["Jonas", "Lena", "Mehmet", "Katharina", "Lukas", "Sophie"],
        "date": ["14. März", "Freitag, 6. Juni", "12.03.2026", "nächsten Dienstag"],
        "time": ["9:30 Uhr", "14:15 Uhr", "zwischen 9 und 11 Uhr"],
        "amount": ["49,90 €", "1.299,00 €", "18,75 €"],
        "carrier": ["DHL", "Hermes", "DPD", "GLS"],
        "store": ["Alexanderplatz", "Marienplatz", "Hauptbahnhof", "Königsallee"],
        "product": ["Trail Runner 2", "das Zelt Alpin 3", "die Regenjacke Nordkap"],
        "percent": ["20 %", "30 %", "15 %"],
        "points": ["1.250", "380", "4.900"],
        "ticket_id": ["#48213", "SR-90412"],
        "city": ["Berlin", "Hamburg", "München", "Köln"],
        "order_id": ["A-1042", "DE-2231-77", "W83920"],
    },
    "scenarios": [
        ("UTILITY", "versandbestaetigung", "Bestellung {{order_id}} ist unterwegs",
         "Hallo {{first_name}}, deine Bestellung {{order_id}} wurde mit {{carrier}} verschickt und kommt voraussichtlich am {{date}} an. Über den Button unten kannst du die Sendung verfolgen."),
        ("UTILITY", "terminerinnerung", "Erinnerung an Ihren Termin",
         "Guten Tag {{first_name}}, wir erinnern Sie an Ihren Termin in unserer Filiale {{store}} am {{date}} um {{time}}. Bitte bringen Sie Ihren Ausweis mit."),
        ("UTILITY", "zahlung_erhalten", "Zahlung eingegangen",
         "Vielen Dank, {{first_name}}! Wir haben Ihre Zahlung über {{amount}} für die Bestellung {{order_id}} erhalten. Die Rechnung finden Sie in Ihrem Kundenkonto."),
        ("MARKETING", "fruehjahrs_sale", "Unser Frühjahrs-Sale beginnt",
         "Hallo {{first_name}}, unser Frühjahrs-Sale startet: {{percent}} Rabatt auf ausgewählte Artikel bis {{date}} 🏕️. Nur solange der Vorrat reicht!"),
        ("MARKETING", "warenkorb_erinnerung", "Noch im Warenkorb",
         "Hast du {{product}} vergessen, {{first_name}}? Der Artikel liegt noch in deinem Warenkorb, und ab {{amount}} liefern wir diese Woche versandkostenfrei."),
        ("UTILITY", "lieferfenster", "Lieferung am {{date}}",
         "Ihre Lieferung von %BRAND% kommt am {{date}}, {{time}}. Bitte sorgen Sie dafür, dass jemand zu Hause ist, oder wählen Sie unten einen neuen Termin."),
    ],
    "extras": [
        "Bei Fragen antworten Sie einfach auf diese Nachricht.",
        "Vielen Dank, dass Sie sich für %BRAND% entschieden haben.",
        "Unser Kundenservice ist montags bis samstags von 8 bis 20 Uhr für Sie da.",
        "Benachrichtigungen können Sie jederzeit in Ihrem Kundenkonto abbestellen.",
        "Alle Preise inklusive Mehrwertsteuer.",
    ],
    "footers": ["%BRAND%", "Abmelden mit STOP", "Ihr Kundenservice von %BRAND%"],
    "qr": ["Sendung verfolgen", "Mit Mitarbeiter sprechen", "Termin verschieben", "Bestätigen", "Kein Interesse", "Keine Werbung mehr"],
    "url": ["Details ansehen", "Zum Angebot", "Sendung verfolgen"],
    "phone": ["Anrufen", "Kundenservice anrufen"],
    "long_header": "Wichtige Informationen zu Ihrer Bestellung und zu Ihren Lieferoptionen",
    "long_footer": "Diese Nachricht wurde von %BRAND% gesendet, weil Sie Bestellupdates per WhatsApp abonniert haben",
    "long_label": "Mit einem Mitarbeiter im Kundenservice sprechen",
}

PT = {
    "values": {
        "first_name": ["Maria", "João", "Ana Clara", "Pedro", "Luiza", "Rafael"],
        "date": ["14/03", "sexta-feira, 6 de junho", "12/03/2026", "amanhã"],
        "time": ["9h30", "14h15", "entre 9h e 11h"],
        "amount": ["R$ 129,90", "R$ 1.299,00", "R$ 18,75"],
        "carrier": ["Correios", "Jadlog", "Loggi", "Total Express"],
        "store": ["Shopping Iguatemi", "Av. Paulista", "Barra Shopping"],
        "product": ["o sofá Lisboa", "a luminária Aurora", "o kit de jardinagem"],
        "percent": ["20%", "30%", "15%"],
        "points": ["1.250", "380", "4.900"],
        "ticket_id": ["#48213", "AT-90412"],
        "city": ["São Paulo", "Curitiba", "Recife"],
        "order_id": ["BR-1042", "2231-77", "W83920"],
    },
    "scenarios": [
        ("UTILITY", "pedido_enviado", "Pedido {{order_id}} enviado",
         "Olá {{first_name}}, seu pedido {{order_id}} foi enviado pela {{carrier}} e deve chegar em {{date}}. Acompanhe a entrega pelo botão abaixo."),
        ("UTILITY", "lembrete_consulta", "Lembrete da sua consulta",
         "Olá {{first_name}}, lembramos da sua consulta na unidade {{store}} em {{date}} às {{time}}. Chegue com dez minutos de antecedência. Até breve!"),
        ("UTILITY", "pagamento_confirmado", "Pagamento confirmado",
         "Obrigado, {{first_name}}! Recebemos o pagamento de {{amount}} referente ao pedido {{order_id}}. A nota fiscal já está disponível na sua conta."),
        ("MARKETING", "promocao_outono", "Promoção de outono",
         "Oi {{first_name}}! A promoção de outono da %BRAND% chegou: {{percent}} de desconto em toda a loja até {{date}}. Aproveite enquanto durarem os estoques."),
        ("MARKETING", "carrinho_abandonado", "Você esqueceu algo",
         "Oi {{first_name}}, {{product}} ainda está no seu carrinho. Finalize a compra hoje e ganhe frete grátis em pedidos acima de {{amount}} até domingo."),
        ("UTILITY", "entrega_agendada", "Entrega agendada para {{date}}",
         "Sua entrega da %BRAND% está agendada para {{date}}, {{time}}. Se não houver ninguém em casa, escolha uma nova data pelo botão abaixo."),
    ],
    "extras": [
        "Em caso de dúvidas, responda a esta mensagem.",
        "Obrigado por escolher a %BRAND%.",
        "Nosso atendimento funciona de segunda a sábado, das 8h às 20h.",
        "Você pode alterar suas preferências de notificação na sua conta.",
        "Valores sujeitos a alteração sem aviso prévio.",
    ],
    "footers": ["%BRAND%", "Responda SAIR para não receber mais", "Equipe %BRAND%"],
    "qr": ["Rastrear pedido", "Falar com atendente", "Remarcar", "Confirmar", "Não tenho interesse", "Parar promoções"],
    "url": ["Ver detalhes", "Comprar agora", "Rastrear entrega"],
    "phone": ["Ligar para nós", "Central de atendimento"],
    "long_header": "Informações importantes sobre o seu pedido e as opções de entrega disponíveis",
    "long_footer": "Você recebeu esta mensagem porque autorizou o envio de atualizações da %BRAND% pelo WhatsApp",
    "long_label": "Falar com um atendente da nossa equipe",
}

ES = {
    "values": {
        "first_name": ["Lucía", "Carlos", "Valentina", "Diego", "Fernanda", "Javier"],
        "date": ["14 de marzo", "viernes 6 de junio", "12/03/2026", "mañana"],
        "time": ["9:30 a. m.", "14:15 h", "entre las 9 y las 11"],
        "amount": ["$1,299.00 MXN", "$349.50", "$89.90"],
        "carrier": ["Estafeta", "DHL", "Redpack", "FedEx"],
        "store": ["Polanco", "Plaza Satélite", "Centro Histórico", "Andares"],
        "product": ["los tenis Trail 2", "la cafetera Roma", "el set de maletas"],
        "percent": ["20 %", "30 %", "15 %"],
        "points": ["1,250", "380", "4,900"],
        "ticket_id": ["#48213", "SOP-90412"],
        "city": ["Guadalajara", "Monterrey", "Puebla"],
        "order_id": ["MX-1042", "2231-77", "W83920"],
    },
    "scenarios": [
        ("UTILITY", "pedido_enviado", "Tu pedido {{order_id}} va en camino",
         "Hola {{first_name}}, tu pedido {{order_id}} fue enviado con {{carrier}} y llegará el {{date}}. Puedes rastrear el paquete con el botón de abajo."),
        ("UTILITY", "recordatorio_cita", "Recordatorio de tu cita",
         "Hola {{first_name}}, te recordamos tu cita en la sucursal {{store}} el {{date}} a las {{time}}. Por favor llega diez minutos antes."),
        ("UTILITY", "pago_recibido", "Pago recibido",
         "¡Gracias, {{first_name}}! Recibimos tu pago de {{amount}} del pedido {{order_id}}. Tu comprobante ya está disponible en tu cuenta."),
        ("MARKETING", "venta_primavera", "Venta de primavera",
         "¡Hola {{first_name}}! Llegó la venta de primavera de %BRAND%: {{percent}} de descuento en artículos seleccionados hasta el {{date}}. ¡No te lo pierdas!"),
        ("MARKETING", "carrito_pendiente", "Olvidaste algo en tu carrito",
         "Hola {{first_name}}, {{product}} sigue en tu carrito. Completa tu compra hoy y obtén envío gratis en pedidos mayores a {{amount}} durante esta semana."),
        ("UTILITY", "estado_cuenta", "Tu estado de cuenta",
         "Hola {{first_name}}, tu estado de cuenta de %BRAND% ya está disponible. El saldo a pagar es de {{amount}} con fecha límite el {{date}}. Gracias por tu preferencia."),
    ],
    "extras": [
        "Si tienes dudas, responde a este mensaje.",
        "Gracias por elegir %BRAND%.",
        "Nuestro equipo te atiende de lunes a sábado de 8 a 20 h.",
        "Puedes cambiar tus preferencias de notificación en tu cuenta.",
        "Aplican términos y condiciones.",
    ],
    "footers": ["%BRAND%", "Responde BAJA para no recibir más mensajes", "Atención a clientes %BRAND%"],
    "qr": ["Rastrear pedido", "Hablar con un asesor", "Reprogramar", "Confirmar", "No me interesa", "Dar de baja"],
    "url": ["Ver detalles", "Comprar ahora", "Rastrear envío"],
    "phone": ["Llamar", "Llamar a soporte"],
    "long_header": "Información importante sobre tu pedido y las opciones de entrega disponibles",
    "long_footer": "Recibiste este mensaje porque aceptaste recibir actualizaciones de %BRAND% por WhatsApp",
    "long_label": "Hablar con un asesor de atención al cliente",
}

FR = {
    "values": {
        "first_name": ["Camille", "Louis", "Chloé", "Hugo", "Inès", "Julien"],
        "date": ["14 mars", "vendredi 6 juin", "12/03/2026", "demain"],
        "time": ["9 h 30", "14 h 15", "entre 9 h et 11 h"],
        "amount": ["49,90 €", "1 299,00 €", "18,75 €"],
        "carrier": ["Colissimo", "Chronopost", "Mondial Relay", "DPD"],
        "store": ["Rivoli", "Part-Dieu", "Vieux-Port", "Capitole"],
        "product": ["la bougie Lavande", "le coffret Provence", "le diffuseur Ambre"],
        "percent": ["20 %", "30 %", "15 %"],
        "points": ["1 250", "380", "4 900"],
        "ticket_id": ["#48213", "SAV-90412"],
        "city": ["Paris", "Lyon", "Marseille", "Toulouse"],
        "order_id": ["FR-1042", "2231-77", "W83920"],
    },
    "scenarios": [
        ("UTILITY", "commande_expediee", "Commande {{order_id}} expédiée",
         "Bonjour {{first_name}}, votre commande {{order_id}} a été expédiée avec {{carrier}} et arrivera le {{date}}. Suivez votre colis avec le bouton ci-dessous."),
        ("UTILITY", "rappel_rendez_vous", "Rappel de rendez-vous",
         "Bonjour {{first_name}}, nous vous rappelons votre rendez-vous en boutique {{store}} le {{date}} à {{time}}. Merci d'arriver dix minutes en avance."),
        ("UTILITY", "paiement_recu", "Paiement reçu",
         "Merci {{first_name}} ! Nous avons bien reçu votre paiement de {{amount}} pour la commande {{order_id}}. Votre facture est disponible dans votre espace client."),
        ("MARKETING", "soldes_printemps", "Les soldes de printemps",
         "Bonjour {{first_name}}, les soldes de printemps de %BRAND% commencent : {{percent}} de remise sur une sélection d'articles jusqu'au {{date}}. À très vite !"),
        ("MARKETING", "panier_oublie", "Votre panier vous attend",
         "Bonjour {{first_name}}, {{product}} vous attend toujours dans votre panier. Livraison offerte dès {{amount}} d'achat cette semaine seulement."),
    ],
    "extras": [
        "Pour toute question, répondez simplement à ce message.",
        "Merci d'avoir choisi %BRAND%.",
        "Notre service client est disponible du lundi au samedi, de 8 h à 20 h.",
        "Vous pouvez modifier vos préférences de notification dans votre espace client.",
    ],
    "footers": ["%BRAND%", "Répondez STOP pour vous désabonner", "Service client %BRAND%"],
    "qr": ["Suivre ma commande", "Parler à un conseiller", "Reporter", "Confirmer", "Pas intéressé", "Stop promotions"],
    "url": ["Voir le détail", "J'en profite", "Suivre le colis"],
    "phone": ["Nous appeler", "Appeler le service client"],
    "long_header": "Informations importantes concernant votre commande et les options de livraison",
    "long_footer": "Vous recevez ce message car vous avez accepté de recevoir les actualités de %BRAND% sur WhatsApp",
    "long_label": "Parler à un conseiller du service client",
}

ID = {
    "values": {
        "first_name": ["Budi", "Siti", "Agus", "Dewi", "Rizky", "Putri"],
        "date": ["14 Maret", "Jumat, 6 Juni", "12/03/2026", "besok"],
        "time": ["09.30 WIB", "14.15 WIB", "antara pukul 09.00 dan 11.00"],
        "amount": ["Rp150.000", "Rp1.299.000", "Rp89.500"],
        "carrier": ["JNE", "J&T Express", "SiCepat", "AnterAja"],
        "store": ["Grand Indonesia", "Tunjungan Plaza", "Paris Van Java"],
        "product": ["sepatu lari Trail 2", "rice cooker Sakura", "tas ransel Urban"],
        "percent": ["20%", "30%", "15%"],
        "points": ["1.250", "380", "4.900"],
        "ticket_id": ["#48213", "CS-90412"],
        "city": ["Jakarta", "Surabaya", "Bandung"],
        "order_id": ["INV-1042", "2231-77", "W83920"],
    },
    "scenarios": [
        ("UTILITY", "pesanan_dikirim", "Pesanan {{order_id}} dikirim",
         "Halo {{first_name}}, pesanan Anda {{order_id}} sudah dikirim melalui {{carrier}} dan diperkirakan tiba pada {{date}}. Lacak paket Anda dengan tombol di bawah ini."),
        ("UTILITY", "pengingat_janji", "Pengingat janji temu",
         "Halo {{first_name}}, kami mengingatkan janji temu Anda di cabang {{store}} pada {{date}} pukul {{time}}. Mohon datang sepuluh menit lebih awal."),
        ("UTILITY", "pembayaran_diterima", "Pembayaran diterima",
         "Terima kasih, {{first_name}}! Pembayaran sebesar {{amount}} untuk pesanan {{order_id}} sudah kami terima. Bukti pembayaran tersedia di akun Anda."),
        ("MARKETING", "promo_gajian", "Promo gajian telah tiba",
         "Hai {{first_name}}! Promo gajian %BRAND% sudah dimulai: diskon {{percent}} untuk produk pilihan sampai {{date}}. Jangan sampai kehabisan ya!"),
        ("MARKETING", "keranjang_belanja", "Keranjang Anda menunggu",
         "Hai {{first_name}}, {{product}} masih ada di keranjang Anda. Selesaikan pembelian hari ini dan dapatkan gratis ongkir untuk belanja di atas {{amount}} selama minggu ini."),
    ],
    "extras": [
        "Jika ada pertanyaan, cukup balas pesan ini.",
        "Terima kasih telah berbelanja di %BRAND%.",
        "Layanan pelanggan kami tersedia Senin sampai Sabtu, pukul 08.00 sampai 20.00.",
        "Anda dapat mengubah pengaturan notifikasi di akun Anda kapan saja.",
    ],
    "footers": ["%BRAND%", "Balas STOP untuk berhenti berlangganan", "Layanan pelanggan %BRAND%"],
    "qr": ["Lacak pesanan", "Hubungi agen", "Jadwalkan ulang", "Konfirmasi", "Tidak tertarik", "Berhenti promo"],
    "url": ["Lihat detail", "Belanja sekarang", "Lacak paket"],
    "phone": ["Telepon kami", "Hubungi layanan"],
    "long_header": "Informasi penting tentang pesanan Anda dan pilihan pengiriman yang tersedia",
    "long_footer": "Anda menerima pesan ini karena telah setuju menerima informasi dari %BRAND% melalui WhatsApp",
    "long_label": "Hubungi agen layanan pelanggan kami",
}

HI = {
    "values": {
        "first_name": ["राहुल", "प्रिया", "अमित", "सुनीता", "Rohan", "Ananya"],
        "date": ["14 मार्च", "शुक्रवार, 6 जून", "12/03/2026", "कल"],
        "time": ["सुबह 9:30 बजे", "दोपहर 2:15 बजे"],
        "amount": ["₹1,499", "₹12,999", "₹349"],
        "carrier": ["Delhivery", "Blue Dart", "Ekart", "India Post"],
        "store": ["कनॉट प्लेस", "फ़ीनिक्स मॉल", "एमजी रोड"],
        "product": ["स्मार्टवॉच Pulse", "मिक्सर ग्राइंडर", "ब्लूटूथ स्पीकर"],
        "percent": ["20%", "30%", "15%"],
        "points": ["1,250", "380", "4,900"],
        "ticket_id": ["#48213", "CS-90412"],
        "city": ["दिल्ली", "मुंबई", "बेंगलुरु"],
        "order_id": ["IN-1042", "2231-77", "W83920"],
    },
    "scenarios": [
        ("UTILITY", "order_dispatch", "ऑर्डर {{order_id}} भेज दिया गया",
         "नमस्ते {{first_name}}, आपका ऑर्डर {{order_id}} कूरियर कंपनी {{carrier}} से भेज दिया गया है और {{date}} तक पहुँच जाएगा। नीचे दिए बटन से पार्सल ट्रैक करें।"),
        ("UTILITY", "appointment_yaad", "अपॉइंटमेंट रिमाइंडर",
         "नमस्ते {{first_name}}, {{store}} स्टोर पर आपकी अपॉइंटमेंट {{date}} को {{time}} है। कृपया दस मिनट पहले पहुँचें।"),
        ("UTILITY", "bhugtan_prapt", "भुगतान प्राप्त हुआ",
         "धन्यवाद {{first_name}}! ऑर्डर {{order_id}} के लिए {{amount}} का भुगतान हमें मिल गया है। रसीद आपके खाते में उपलब्ध है।"),
        ("MARKETING", "diwali_sale", "दिवाली सेल शुरू",
         "नमस्ते {{first_name}} 🪔 %BRAND% की दिवाली सेल शुरू हो गई है: चुनिंदा सामान पर {{percent}} की छूट, {{date}} तक। जल्दी कीजिए!"),
        ("MARKETING", "cart_yaad", "आपका कार्ट इंतज़ार कर रहा है",
         "नमस्ते {{first_name}}, {{product}} अभी भी आपके कार्ट में है। आज ही खरीदारी पूरी करें और {{amount}} से ऊपर के ऑर्डर पर मुफ़्त डिलीवरी पाएँ।"),
    ],
    "extras": [
        "कोई सवाल हो तो इस संदेश का जवाब दें।",
        "%BRAND% चुनने के लिए धन्यवाद।",
        "हमारी ग्राहक सेवा सोमवार से शनिवार सुबह 8 से रात 8 बजे तक उपलब्ध है।",
    ],
    "footers": ["%BRAND%", "सदस्यता छोड़ने के लिए STOP लिखें", "%BRAND% ग्राहक सेवा"],
    "qr": ["ऑर्डर ट्रैक करें", "एजेंट से बात करें", "समय बदलें", "पुष्टि करें", "रुचि नहीं है", "ऑफ़र बंद करें"],
    "url": ["विवरण देखें", "अभी खरीदें", "पार्सल ट्रैक करें"],
    "phone": ["हमें कॉल करें", "सहायता को कॉल करें"],
    "long_header": "आपके ऑर्डर और डिलीवरी के विकल्पों के बारे में ज़रूरी जानकारी यहाँ देखें",
    "long_footer": "आपको यह संदेश इसलिए मिला क्योंकि आपने WhatsApp पर %BRAND% से अपडेट पाने की अनुमति दी है",
    "long_label": "हमारे ग्राहक सेवा एजेंट से अभी बात करें",
}

IT = {
    "values": {
        "first_name": ["Giulia", "Marco", "Francesca", "Luca", "Chiara", "Alessandro"],
        "date": ["14 marzo", "venerdì 6 giugno", "12/03/2026", "domani"],
        "time": ["9:30", "14:15", "tra le 9 e le 11"],
        "amount": ["49,90 €", "1.299,00 €", "18,75 €"],
        "carrier": ["BRT", "Poste Italiane", "GLS", "SDA"],
        "store": ["Corso Buenos Aires", "Via del Corso", "Piazza San Marco"],
        "product": ["la crema Idra", "il kit vitamine", "lo spazzolino Sonic"],
        "percent": ["20%", "30%", "15%"],
        "points": ["1.250", "380", "4.900"],
        "ticket_id": ["#48213", "AS-90412"],
        "city": ["Milano", "Roma", "Venezia", "Torino"],
        "order_id": ["IT-1042", "2231-77", "W83920"],
    },
    "scenarios": [
        ("UTILITY", "ordine_spedito", "Ordine {{order_id}} spedito",
         "Ciao {{first_name}}, il tuo ordine {{order_id}} è stato spedito con {{carrier}} e arriverà il {{date}}. Segui la spedizione con il pulsante qui sotto."),
        ("UTILITY", "promemoria_appuntamento", "Promemoria appuntamento",
         "Gentile {{first_name}}, le ricordiamo l'appuntamento presso la sede di {{store}} il {{date}} alle {{time}}. La preghiamo di arrivare con dieci minuti di anticipo."),
        ("UTILITY", "ricetta_pronta", "La tua ricetta è pronta",
         "Ciao {{first_name}}, i prodotti della tua ricetta sono pronti per il ritiro in farmacia a {{store}} entro il {{date}}. Ricorda di portare la tessera sanitaria."),
        ("MARKETING", "saldi_estivi", "Saldi estivi",
         "Ciao {{first_name}}! Sono iniziati i saldi estivi di %BRAND%: {{percent}} di sconto su una selezione di prodotti fino al {{date}}. Ti aspettiamo!"),
        ("MARKETING", "carrello_abbandonato", "Il tuo carrello ti aspetta",
         "Ciao {{first_name}}, {{product}} è ancora nel tuo carrello. Completa l'acquisto oggi e la spedizione è gratuita per ordini superiori a {{amount}} fino a domenica."),
    ],
    "extras": [
        "Per qualsiasi domanda rispondi a questo messaggio.",
        "Grazie per aver scelto %BRAND%.",
        "Il nostro servizio clienti è disponibile dal lunedì al sabato, dalle 8 alle 20.",
        "Puoi modificare le preferenze di notifica nel tuo account.",
    ],
    "footers": ["%BRAND%", "Rispondi STOP per annullare l'iscrizione", "Servizio clienti %BRAND%"],
    "qr": ["Traccia ordine", "Parla con un operatore", "Sposta appuntamento", "Conferma", "Non mi interessa", "Stop promozioni"],
    "url": ["Vedi dettagli", "Acquista ora", "Traccia spedizione"],
    "phone": ["Chiamaci", "Chiama l'assistenza"],
    "long_header": "Informazioni importanti sul tuo ordine e sulle opzioni di consegna disponibili",
    "long_footer": "Ricevi questo messaggio perché hai accettato di ricevere aggiornamenti da %BRAND% su WhatsApp",
    "long_label": "Parla con un operatore del servizio clienti",
}

NL = {
    "values": {
        "first_name": ["Sanne", "Daan", "Fleur", "Bram", "Noor", "Thijs"],
        "date": ["14 maart", "vrijdag 6 juni", "12-03-2026", "morgen"],
        "time": ["9.30 uur", "14.15 uur", "tussen 9 en 11 uur"],
        "amount": ["€ 49,95", "€ 1.299,00", "€ 18,75"],
        "carrier": ["PostNL", "DHL", "DPD"],
        "store": ["Markt", "Binnenwatersloot", "Oude Delft"],
        "product": ["de stadsfiets Classic", "het fietsslot Pro", "de fietstas Urban"],
        "percent": ["20%", "30%", "15%"],
        "points": ["1.250", "380", "4.900"],
        "ticket_id": ["#48213", "KS-90412"],
        "city": ["Delft", "Utrecht", "Amsterdam"],
        "order_id": ["NL-1042", "2231-77", "W83920"],
    },
    "scenarios": [
        ("UTILITY", "bestelling_verzonden", "Bestelling {{order_id}} verzonden",
         "Hoi {{first_name}}, je bestelling {{order_id}} is verzonden met {{carrier}} en wordt naar verwachting op {{date}} bezorgd. Volg je pakket via de knop hieronder."),
        ("UTILITY", "onderhoud_herinnering", "Herinnering onderhoudsbeurt",
         "Hallo {{first_name}}, je fiets staat ingepland voor onderhoud bij onze winkel aan de {{store}} op {{date}} om {{time}}. Tot dan!"),
        ("MARKETING", "voorjaarsactie", "Voorjaarsactie",
         "Hoi {{first_name}}! De voorjaarsactie van %BRAND% is begonnen: {{percent}} korting op geselecteerde fietsen tot en met {{date}}. Kom snel langs!"),
        ("MARKETING", "winkelmand_herinnering", "Je winkelmand wacht",
         "Hoi {{first_name}}, {{product}} ligt nog in je winkelmand. Rond je bestelling vandaag af en ontvang gratis verzending vanaf {{amount}} tot en met zondag."),
    ],
    "extras": [
        "Vragen? Beantwoord dan gewoon dit bericht.",
        "Bedankt dat je voor %BRAND% kiest.",
        "Onze klantenservice is bereikbaar van maandag tot en met zaterdag, van 8 tot 20 uur.",
    ],
    "footers": ["%BRAND%", "Antwoord STOP om je af te melden", "Klantenservice %BRAND%"],
    "qr": ["Volg bestelling", "Spreek een medewerker", "Verzetten", "Bevestigen", "Geen interesse", "Stop aanbiedingen"],
    "url": ["Bekijk details", "Nu shoppen", "Volg pakket"],
    "phone": ["Bel ons", "Bel klantenservice"],
    "long_header": "Belangrijke informatie over je bestelling en de beschikbare bezorgopties",
    "long_footer": "Je ontvangt dit bericht omdat je toestemming hebt gegeven voor updates van %BRAND% via WhatsApp",
    "long_label": "Spreek een medewerker van de klantenservice",
}

# language code → (texts, weight, non-Meta spelling used by the `bad-language` violation)
LANGUAGES = {
    "en_US": (EN, 24, "en-US"),
    "en_GB": (EN, 5, "en-GB"),
    "de": (DE, 10, "de_DE"),
    "pt_BR": (PT, 12, "pt-BR"),
    "es_MX": (ES, 9, "es-MX"),
    "es": (ES, 4, "es-419"),
    "fr": (FR, 8, "fr_FR"),
    "id": (ID, 8, "in"),
    "hi": (HI, 7, "hi_IN"),
    "it": (IT, 7, "it_IT"),
    "nl": (NL, 6, "nl_NL"),
}
LANG_CODES = list(LANGUAGES)
LANG_WEIGHTS = [LANGUAGES[c][1] for c in LANG_CODES]
LATIN = {c for c in LANG_CODES if c != "hi"}

# The violations (each raises exactly one diagnostic under `--profile meta`), with weights.
VIOLATIONS = {
    "body-trailing-placeholder": 8,
    "body-leading-placeholder": 5,
    "body-too-long": 6,
    "language-unsupported": 8,
    "too-many-buttons": 5,
    "name-invalid-characters": 8,
    "body-example-missing": 8,
    "header-example-missing": 4,
    "header-too-long": 5,
    "footer-too-long": 5,
    "footer-placeholder": 3,
    "button-label-too-long": 5,
    "category-legacy": 4,
    "url-example-missing": 4,
    "too-many-url-buttons": 3,
    "utility-ttl-out-of-range": 3,
    "url-not-https": 3,
}

GENERIC = {"reference": ["R-20931", "88412", "TX-5520-19", "AB12CD"]}

SLOT = re.compile(r"\{\{([a-z_]+)\}\}")


class Date(str):
    """A date, written unquoted in YAML."""


# ── Template construction ────────────────────────────────────────────────────────────────────


def brandify(text: str, brand: str) -> str:
    return text.replace("%BRAND%", brand)


def render_text(text: str, named: bool, values: dict, rng: random.Random):
    """Slot text → (placeholder text, examples). Positional examples are a list, named ones a
    list of {param_name, example}."""
    order: list[str] = []

    def sub(m: re.Match) -> str:
        slot = m.group(1)
        if slot not in order:
            order.append(slot)
        return "{{" + (slot if named else str(order.index(slot) + 1)) + "}}"

    out = SLOT.sub(sub, text)
    examples = [rng.choice(values.get(slot) or GENERIC[slot]) for slot in order]
    if named:
        return out, [{"param_name": s, "example": e} for s, e in zip(order, examples)]
    return out, examples


def make_template(rng: random.Random, idx: int, lang: str, violation: str | None,
                  brand_idx: int, exported: bool) -> dict:
    texts = LANGUAGES[lang][0]
    brand, domain = BRANDS[brand_idx]
    values = texts["values"]
    v = violation

    if v is None and rng.random() < 0.05:
        return make_authentication(rng, idx, lang)

    category, base, header_text, body = rng.choice(texts["scenarios"])
    if v == "utility-ttl-out-of-range":
        category, base, header_text, body = rng.choice(
            [s for s in texts["scenarios"] if s[0] == "UTILITY"])
    named = rng.random() < 0.25
    if v in ("body-example-missing", "header-example-missing", "url-example-missing"):
        exported = False

    # Body: the scenario sentence, plus 0–3 static sentences (more for `body-too-long`).
    extras = [brandify(e, brand) for e in rng.sample(texts["extras"], k=len(texts["extras"]))]
    n_extra = rng.choice([0, 0, 1, 1, 2, 3])
    sep = rng.choice([" ", " ", "\n\n"])
    body = brandify(body, brand)
    if v == "body-trailing-placeholder":
        body = body + " " + {"en_US": "Reference:", "en_GB": "Reference:", "de": "Referenz:",
                             "pt_BR": "Protocolo:", "es_MX": "Folio:", "es": "Folio:",
                             "fr": "Référence :", "id": "Referensi:", "hi": "संदर्भ:",
                             "it": "Riferimento:", "nl": "Referentie:"}[lang] + " {{reference}}"
        n_extra = 0
    if v == "body-leading-placeholder":
        # Drop the greeting before {{first_name}}, or put {{first_name}} first.
        m = re.match(r"^[^{]*?\{\{first_name\}\}", body)
        if m:
            body = "{{first_name}}" + body[m.end():]
        else:
            body = "{{first_name}}, " + body[0].lower() + body[1:]
    parts = [body] + extras[:n_extra]
    body_text, body_examples = render_text(sep.join(parts), named, values, rng)
    if v == "body-too-long":
        pool, limit = extras * 8, 1024 + rng.randrange(0, 60)
        while len(body_text) <= limit:   # characters, as Meta counts them
            parts.append(pool[len(parts) - 1])
            body_text, body_examples = render_text(sep.join(parts), named, values, rng)

    components: list[dict] = []

    # Header: none, TEXT (with or without a placeholder), IMAGE, DOCUMENT or VIDEO.
    r = rng.random()
    if v in ("header-too-long", "header-example-missing"):
        r = 0.5
    if v == "body-too-long":
        r = 0.0
    if r < 0.35:
        pass
    elif r < 0.82:
        text = brandify(header_text, brand)
        if v == "header-too-long":
            text = brandify(texts["long_header"], brand)
        if v == "header-example-missing" and "{{" not in text:
            text = text + " " + "{{order_id}}"
        if v != "header-example-missing" and "{{" in text and rng.random() < 0.3:
            text = SLOT.sub(lambda m: rng.choice(values[m.group(1)]), text)
        htext, hex_ = render_text(text, named, values, rng)
        header = {"type": "HEADER", "format": "TEXT", "text": htext}
        if hex_ and v != "header-example-missing":
            header["example"] = ({"header_text_named_params": hex_} if named else {"header_text": hex_})
        components.append(header)
    else:
        fmt = "IMAGE" if r < 0.93 else ("DOCUMENT" if category == "UTILITY" else "VIDEO")
        if exported:
            handle = (f"https://scontent.whatsapp.net/v/t61.29466-34/{rng.randrange(10**8, 10**9)}_"
                      f"{rng.randrange(10**15, 10**16)}_n.{ {'IMAGE': 'jpg', 'VIDEO': 'mp4', 'DOCUMENT': 'pdf'}[fmt] }")
        else:
            handle = f"4::aW1hZ2UvanBlZw==:ARb{rng.randrange(16**10):010x}"
        components.append({"type": "HEADER", "format": fmt, "example": {"header_handle": [handle]}})

    bcomp = {"type": "BODY", "text": body_text}
    if named and v == "body-example-missing" and len(body_examples) > 1:
        # Named examples are checked one by one: forget the example of one parameter.
        del body_examples[rng.randrange(len(body_examples))]
        bcomp["example"] = {"body_text_named_params": body_examples}
    elif body_examples and v != "body-example-missing":
        if named:
            bcomp["example"] = {"body_text_named_params": body_examples}
        else:
            bcomp["example"] = {"body_text": [body_examples]}
    components.append(bcomp)
    if v == "body-example-missing" and not body_examples:
        raise Retry()

    # Footer.
    if v == "footer-too-long":
        components.append({"type": "FOOTER", "text": brandify(texts["long_footer"], brand)})
    elif v == "footer-placeholder":
        components.append({"type": "FOOTER", "text": brandify(rng.choice(texts["footers"]), brand) + " · {{1}}"})
    elif v != "body-too-long" and rng.random() < 0.5:
        components.append({"type": "FOOTER", "text": brandify(rng.choice(texts["footers"]), brand)})

    # Buttons.
    buttons: list[dict] = []
    marketing = category == "MARKETING"
    optout = texts["qr"][-1]
    r = rng.random()
    if v == "too-many-buttons":
        labels = list(texts["qr"])
        while len(labels) < 11:
            labels.append(f"{rng.choice(texts['qr'])[:21]} {len(labels) + 1}")
        buttons = [{"type": "QUICK_REPLY", "text": t} for t in labels[:11]]
    elif v in ("url-example-missing", "too-many-url-buttons", "url-not-https"):
        r = 0.7
    elif v == "button-label-too-long":
        r = 0.5
    elif v == "body-too-long":
        r = 0.0
    if not buttons and r >= 0.3:
        labels = texts["qr"] if marketing else texts["qr"][:-1]   # the last one is the opt-out
        qr = [{"type": "QUICK_REPLY", "text": t} for t in rng.sample(labels, k=rng.randint(1, 3))]
        if v == "button-label-too-long":
            qr[0]["text"] = texts["long_label"]
        if marketing and all(q["text"] != optout for q in qr):
            # Marketing templates offer an opt-out quick reply (Meta's own practice).
            if len(qr) < 3:
                qr.append({"type": "QUICK_REPLY", "text": optout})
            else:
                qr[-1]["text"] = optout
        cta: list[dict] = []
        if r >= 0.65:
            path = rng.choice(["track", "orders", "account", "offers", "booking"])
            if rng.random() < 0.5 or v == "url-example-missing":
                url = {"type": "URL", "text": rng.choice(texts["url"]),
                       "url": f"https://www.{domain}/{path}/{{{{1}}}}"}
                if v != "url-example-missing":
                    url["example"] = [f"https://www.{domain}/{path}/{rng.choice(values['order_id'])}"]
            else:
                url = {"type": "URL", "text": rng.choice(texts["url"]), "url": f"https://www.{domain}/{path}"}
            if v == "url-not-https":
                url = {"type": "URL", "text": rng.choice(texts["url"]), "url": f"http://www.{domain}/{path}"}
            cta.append(url)
            if v == "too-many-url-buttons":
                cta += [{"type": "URL", "text": t, "url": f"https://www.{domain}/{p}"}
                        for t, p in zip(texts["url"][1:3] if len(texts["url"]) > 2 else texts["url"][:2],
                                        ["help", "stores"])]
            if rng.random() < 0.4:
                cta.append({"type": "PHONE_NUMBER", "text": rng.choice(texts["phone"]),
                            "phone_number": button_number(rng)})
        if r >= 0.9 or not cta or marketing:
            buttons = qr + cta if rng.random() < 0.5 else cta + qr
        else:
            buttons = cta
    elif not buttons and marketing:
        buttons = [{"type": "QUICK_REPLY", "text": optout}]
    if buttons:
        components.append({"type": "BUTTONS", "buttons": buttons})

    name = f"{base}_{idx:05d}"
    if v == "name-invalid-characters":
        name = rng.choice([
            lambda n: "".join(w.capitalize() for w in n.split("_")),
            lambda n: n.replace("_", "-"),
            lambda n: n[0].upper() + n[1:],
        ])(name)
    language = LANGUAGES[lang][2] if v == "language-unsupported" else lang
    if v == "category-legacy":
        category = rng.choice(["TRANSACTIONAL", "SHIPPING_UPDATE", "ACCOUNT_UPDATE", "ALERT_UPDATE"])

    t: dict = {}
    if exported:
        t["id"] = str(rng.randrange(10**15, 10**16))
        t["name"] = name
        t["language"] = language
        t["status"] = rng.choices(["APPROVED", "PENDING", "PAUSED"], [90, 7, 3])[0]
        t["category"] = category
        t["parameter_format"] = "NAMED" if named else "POSITIONAL"
        t["components"] = components
        if rng.random() < 0.6:
            t["quality_score"] = {"score": rng.choice(["GREEN", "GREEN", "YELLOW", "UNKNOWN"])}
    else:
        t["name"] = name
        t["language"] = language
        t["category"] = category
        if named:
            t["parameter_format"] = "NAMED"
        t["components"] = components
    if v == "utility-ttl-out-of-range":
        t["message_send_ttl_seconds"] = rng.choice([86400, 172800, 10])
    elif category == "UTILITY" and rng.random() < 0.05:
        t["message_send_ttl_seconds"] = rng.choice([3600, 7200, 21600, 43200])
    if not exported and rng.random() < 0.1:
        lower_enums(t)
    return t


def make_authentication(rng: random.Random, idx: int, lang: str) -> dict:
    """A create request for an authentication template: Meta's preset text, one OTP button."""
    name = f"{rng.choice(['login_otp', 'signin_code', 'verify_account', 'two_factor'])}_{idx:05d}"
    button: dict = {"type": "OTP", "otp_type": rng.choice(["COPY_CODE", "ONE_TAP"])}
    if button["otp_type"] == "ONE_TAP":
        button["autofill_text"] = "Autofill"
        button["supported_apps"] = [{"package_name": f"com.{rng.choice(['acme', 'lumen', 'aurora'])}.app",
                                     "signature_hash": "K8a/AINcGX7"}]
    else:
        button["text"] = "Copy code"
    t = {"name": name, "language": lang, "category": "AUTHENTICATION",
         "message_send_ttl_seconds": rng.choice([60, 300, 600]),
         "components": [{"type": "BODY", "add_security_recommendation": True},
                        {"type": "FOOTER", "code_expiration_minutes": rng.choice([5, 10, 15])},
                        {"type": "BUTTONS", "buttons": [button]}]}
    return t


def lower_enums(t: dict) -> None:
    """Meta accepts enum-like strings in any case; some teams write them in lowercase."""
    if t["category"] in ("UTILITY", "MARKETING", "AUTHENTICATION"):
        t["category"] = t["category"].lower()
    for c in t["components"]:
        c["type"] = c["type"].lower()
        if "format" in c:
            c["format"] = c["format"].lower()
        for b in c.get("buttons", []):
            b["type"] = b["type"].lower()


class Retry(Exception):
    pass


# ── Other manifests ──────────────────────────────────────────────────────────────────────────


def phone_digits(rng: random.Random) -> tuple[str, str]:
    """A valid-looking mobile or landline number: (country code, national number with spaces)."""
    d = lambda n: "".join(str(rng.randrange(10)) for _ in range(n))  # noqa: E731
    return rng.choice([
        lambda: ("49", f"{rng.choice(['151', '152', '160', '170', '171', '176'])} {d(8)}"),
        lambda: ("49", f"30 {rng.randrange(2, 10)}{d(7)}"),
        lambda: ("55", f"11 9{rng.randrange(6, 10)}{d(3)}-{d(4)}"),
        lambda: ("52", f"55 {rng.randrange(2, 10)}{d(3)} {d(4)}"),
        lambda: ("33", f"6 {d(2)} {d(2)} {d(2)} {d(2)}"),
        lambda: ("39", f"3{rng.choice(['20', '33', '47', '48'])} {d(7)}"),
        lambda: ("31", f"6 {rng.randrange(1, 6)}{d(7)}"),
        lambda: ("91", f"98{d(3)} {d(5)}"),
        lambda: ("62", f"812 {d(4)} {d(4)}"),
        lambda: ("1", f"{rng.choice(['212', '415', '617', '312'])} {rng.randrange(2, 10)}{d(2)} {d(4)}"),
    ])()


def button_number(rng: random.Random) -> str:
    cc, national = phone_digits(rng)
    return "+" + cc + re.sub(r"[ -]", "", national)


def make_phone(rng: random.Random, k: int, brand_idx: int) -> dict:
    cc, national = phone_digits(rng)
    brand = BRANDS[brand_idx][0]
    p = {"kind": "phone_number", "number": Quoted(f"+{cc} {national}"),
         "display_name": rng.choice([brand, f"{brand} Support", f"{brand} Service", f"{brand} Orders"]),
         "owned_by_business": True, "can_receive": ["sms", "voice"], "whatsapp_usage": "none",
         "two_step_verification": True}
    if rng.random() < 0.5:
        p["registered_on"] = Date(f"2026-{rng.randrange(1, 11):02d}-{rng.randrange(1, 29):02d}")
        p["status"] = "CONNECTED"
        p["quality_rating"] = rng.choice(["GREEN", "GREEN", "YELLOW"])
        p["name_status"] = "APPROVED"
    return p


def make_account(rng: random.Random, k: int, brand_idx: int, numbers: list[str]) -> dict:
    brand = BRANDS[brand_idx][0]
    return {
        "kind": "account",
        "business": {"name": f"{brand} {rng.choice(['GmbH', 'Ltd', 'S.A. de C.V.', 'Ltda.', 'SAS', 'S.r.l.', 'B.V.', 'Inc.'])}",
                     "portfolio_owner": "brand", "verification": {"status": "verified"}},
        "waba": {"id": Quoted(str(104996229200000 + k)), "partners": ["genesys"], "payment_method": "genesys",
                 "messaging_limit": rng.choice(["TIER_10K", "TIER_100K", "TIER_UNLIMITED"]),
                 "official_business_account": rng.choice(["not_requested", "not_requested", "denied"])},
        "phone_numbers": numbers,
    }


def make_campaign(rng: random.Random, account_rel: str, tier: str, template: tuple[str, str]) -> dict:
    limit = {"TIER_10K": 10000, "TIER_100K": 100000, "TIER_UNLIMITED": 1000000}[tier]
    return {"kind": "campaign", "account": account_rel,
            "template": {"name": template[0], "language": template[1]},
            "recipients_per_day": rng.randrange(limit // 20, limit * 9 // 10) // 50 * 50,
            "start": Date(f"2026-12-{rng.randrange(1, 29):02d}")}


# ── Serialisation ────────────────────────────────────────────────────────────────────────────


class Quoted(str):
    """A string always written quoted in YAML (phone numbers, ids)."""


RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"}
PLAIN_BLOCK = re.compile(r"^[A-Za-z\u00C0-\u024F][A-Za-z0-9\u00C0-\u024F _.,'!?()/&-]*$")
PLAIN_FLOW = re.compile(r"^[A-Za-z\u00C0-\u024F][A-Za-z0-9\u00C0-\u024F _.'!?()/&-]*$")


def yscalar(v, flow: bool = False) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, Date):
        return str(v)
    if not isinstance(v, Quoted) and (PLAIN_FLOW if flow else PLAIN_BLOCK).match(v) \
            and v.lower() not in RESERVED and not v.endswith(" ") and "  " not in v:
        return v
    return json.dumps(v, ensure_ascii=False)


def yflow(v) -> str:
    if isinstance(v, list):
        return "[" + ", ".join(yflow(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k}: {yflow(x)}" for k, x in v.items()) + " }"
    return yscalar(v, flow=True)


def is_scalar(v) -> bool:
    return not isinstance(v, (list, dict))


def small(v) -> bool:
    """Written in flow style: lists of scalars, lists of lists of scalars, short maps of those."""
    if isinstance(v, list):
        return all(is_scalar(x) or (isinstance(x, list) and all(map(is_scalar, x))) for x in v)
    if isinstance(v, dict):
        return len(v) <= 3 and all(is_scalar(x) or (isinstance(x, list) and small(x)) for x in v.values()) \
            and len(yflow(v)) < 90
    return True


def yblock(v, indent: int, out: list[str], rng: random.Random, flow_items: bool) -> None:
    pad = " " * indent
    if isinstance(v, dict):
        for k, x in v.items():
            if isinstance(x, str) and "\n" in x and rng.random() < 0.6:
                out.append(f"{pad}{k}: |-")
                for line in x.split("\n"):
                    out.append(f"{pad}  {line}" if line else "")
            elif is_scalar(x):
                out.append(f"{pad}{k}: {yscalar(x)}")
            elif small(x) and (isinstance(x, list) or k in ("example", "template", "verification", "quality_score")):
                out.append(f"{pad}{k}: {yflow(x)}")
            else:
                out.append(f"{pad}{k}:")
                yblock(x, indent + 2, out, rng, flow_items)
    else:
        for x in v:
            if isinstance(x, dict):
                if flow_items and small(x) and all(is_scalar(y) for y in x.values()):
                    out.append(f"{pad}- {yflow(x)}")
                    continue
                sub: list[str] = []
                yblock(x, indent + 2, sub, rng, flow_items)
                sub[0] = pad + "- " + sub[0][indent + 2:]
                out.extend(sub)
            elif is_scalar(x):
                out.append(f"{pad}- {yscalar(x)}")
            else:
                out.append(f"{pad}- {yflow(x)}")


YAML_COMMENTS = [
    "# Owner: CRM team. Submitted through the WhatsApp Manager API.",
    "# Reviewed by legal 2026-09.",
    "# Do not rename: referenced by the Genesys Architect flow.",
    "# Source of truth for this template; export with scripts/export_templates.py",
]


def to_yaml(v: dict, rng: random.Random, comment: bool = True) -> str:
    out: list[str] = []
    if comment and rng.random() < 0.3:
        out.append(rng.choice(YAML_COMMENTS))
    yblock(v, 0, out, rng, flow_items=rng.random() < 0.35)
    return "\n".join(out) + "\n"


def to_json(v: dict, rng: random.Random) -> str:
    style = rng.random()
    if style < 0.1:
        return json.dumps(v, ensure_ascii=False, separators=(",", ":")) + "\n"
    return json.dumps(v, ensure_ascii=False, indent=4 if style < 0.3 else 2) + "\n"


# ── Corpus ───────────────────────────────────────────────────────────────────────────────────


def plan(count: int, rng: random.Random) -> list[str]:
    """The kind of every file, in file order."""
    n_phone = round(count * PHONE_SHARE)
    n_account = round(count * ACCOUNT_SHARE)
    n_campaign = round(count * CAMPAIGN_SHARE) if n_account else 0
    if n_account and not n_phone:
        n_phone = 1
    kinds = ["phone"] * n_phone + ["account"] * n_account + ["campaign"] * n_campaign
    kinds += ["template"] * (count - len(kinds))
    rng.shuffle(kinds)
    return kinds


def generate(count: int, out: str, seed: int) -> dict:
    rng = random.Random(seed)
    kinds = plan(count, rng)
    dirs = max(1, (count + FILES_PER_DIR - 1) // FILES_PER_DIR)
    per_dir = (count + dirs - 1) // dirs
    stats = {"template": 0, "phone": 0, "account": 0, "campaign": 0, "violations": 0, "json": 0, "yaml": 0,
             "bytes": 0, "sizes": []}
    files: list[tuple[str, str, str | None, object]] = []   # (relpath, kind, violation, payload)
    approved: list[tuple[str, str]] = []                     # clean approved non-auth templates
    # Phone numbers are spread over the accounts (each account lists one or two, none shared).
    phones = [f"d{i // per_dir:04d}/phone_{k:04d}.yaml"
              for k, i in enumerate(i for i, kind in enumerate(kinds) if kind == "phone")]
    n_accounts = kinds.count("account")
    n_phone = 0
    accounts: list[tuple[str, str]] = []                     # (relpath, tier)
    pending_campaigns: list[int] = []
    names = list(VIOLATIONS)
    weights = [VIOLATIONS[n] for n in names]

    for i, kind in enumerate(kinds):
        sub = f"d{i // per_dir:04d}"
        frng = random.Random(f"{seed}:{i}")   # per-file stream: a file does not depend on others
        brand_idx = frng.randrange(len(BRANDS))
        if kind == "template":
            lang = frng.choices(LANG_CODES, LANG_WEIGHTS)[0]
            violation = None
            if frng.random() < VIOLATION_SHARE:
                violation = frng.choices(names, weights)[0]
                if violation == "body-too-long" and lang not in LATIN:
                    lang = "en_US"
            exported = frng.random() < 0.35
            as_json = frng.random() < JSON_SHARE
            for attempt in range(200):
                try:
                    t = make_template(frng, i, lang, violation, brand_idx, exported)
                except Retry:
                    continue
                text = to_json(t, frng) if as_json else to_yaml(t, frng)
                size = len(text.encode())
                if 200 <= size <= 1500:
                    break
            else:
                raise SystemExit(f"could not build template {i} ({lang}, {violation}) within 200–1,500 bytes")
            ext = "json" if as_json else "yaml"
            rel = f"{sub}/{t['name'].lower().replace('-', '_')}.{lang}.{ext}"
            files.append((rel, "template", violation, text))
            if violation is None and t.get("status") == "APPROVED" and t["category"].upper() in ("UTILITY", "MARKETING"):
                approved.append((t["name"], t["language"]))
            stats["template"] += 1
            stats["violations"] += violation is not None
            stats[ext] += 1
        elif kind == "phone":
            p = make_phone(frng, n_phone, brand_idx)
            rel = phones[n_phone]
            n_phone += 1
            files.append((rel, "phone", None, to_yaml(p, frng, comment=False)))
            stats["phone"] += 1
            stats["yaml"] += 1
        elif kind == "account":
            k = len(accounts)
            mine = [phones[j] for j in range(k, len(phones), n_accounts)][:2]
            rel = f"{sub}/account_{len(accounts):04d}.yaml"
            a = make_account(frng, len(accounts), brand_idx,
                             [os.path.relpath(p, os.path.dirname(rel)) for p in mine])
            if not mine:
                del a["phone_numbers"]
            accounts.append((rel, a["waba"]["messaging_limit"]))
            files.append((rel, "account", None, to_yaml(a, frng, comment=False)))
            stats["account"] += 1
            stats["yaml"] += 1
        else:
            rel = f"{sub}/campaign_{len(pending_campaigns):04d}.yaml"
            files.append((rel, "campaign", None, None))
            pending_campaigns.append(len(files) - 1)
            stats["campaign"] += 1
            stats["yaml"] += 1

    # Campaigns last: they need an account and an approved template anywhere in the corpus.
    for j, fi in enumerate(pending_campaigns):
        crng = random.Random(f"{seed}:campaign:{j}")
        rel = files[fi][0]
        if not accounts or not approved:
            files[fi] = (rel, "skip", None, None)
            continue
        acc, tier = crng.choice(accounts)
        c = make_campaign(crng, os.path.relpath(acc, os.path.dirname(rel)), tier, crng.choice(approved))
        files[fi] = (rel, "campaign", None, to_yaml(c, crng, comment=False))

    os.makedirs(out, exist_ok=True)
    made_dirs: set[str] = set()
    with open(os.path.join(out, ".corpus.tsv"), "w", encoding="utf-8") as index:
        for rel, kind, violation, text in files:
            if kind == "skip":
                continue
            d = os.path.dirname(rel)
            if d not in made_dirs:
                os.makedirs(os.path.join(out, d), exist_ok=True)
                made_dirs.add(d)
            data = text.encode()
            with open(os.path.join(out, rel), "wb") as f:
                f.write(data)
            stats["bytes"] += len(data)
            if kind == "template":
                stats["sizes"].append(len(data))
            index.write(f"{rel}\t{kind}\t{violation or '-'}\n")
    return stats


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, required=True, help="number of files")
    ap.add_argument("--out", required=True, help="output directory (created)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    if args.count < 1:
        ap.error("--count must be at least 1")
    if os.path.isdir(args.out) and os.listdir(args.out):
        ap.error(f"{args.out} is not empty")
    s = generate(args.count, args.out, args.seed)
    if not args.quiet:
        sizes = sorted(s["sizes"]) or [0]
        print(f"{args.out}: {s['template']} templates ({s['violations']} with one violation), "
              f"{s['phone']} phone numbers, {s['account']} accounts, {s['campaign']} campaigns; "
              f"{s['json']} JSON / {s['yaml']} YAML; {s['bytes'] / 1e6:.1f} MB; template sizes "
              f"{sizes[0]}–{sizes[-1]} bytes, median {sizes[len(sizes) // 2]}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
