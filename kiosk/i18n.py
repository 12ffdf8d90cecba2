"""Visitor-facing strings: Bahasa Indonesia (default) and English."""

from __future__ import annotations

DEFAULT_LANGUAGE = "id"

STRINGS: dict[str, dict[str, str]] = {
    "id": {
        "office": "Kecamatan Genteng",
        "welcome_title": "Selamat Datang",
        "welcome_subtitle": "di Pelayanan Kecamatan Genteng",
        "welcome_hint": "Sentuh tombol di bawah untuk mengambil nomor antrean",
        "start": "Ambil Nomor Antrean",
        "switch_language": "English",
        "back": "Kembali",
        "next": "Lanjut",
        "home": "Selesai",
        "services_title": "Pilih Layanan",
        "waiting_people": "{n} orang menunggu",
        "estimated_wait": "± {n} menit",
        "closed": "Tutup",
        "requirements_title": "Yang perlu dibawa",
        "requirements_duration": "Perkiraan lama pelayanan di loket: ± {n} menit",
        "requirements_duration_unknown": "Lama pelayanan: sesuai kebutuhan",
        "requirements_demo": "(contoh, mohon tanyakan petugas)",
        "requirements_steps": "Langkah pelayanan",
        "requirements_standard": "Standar pelayanan: pindai kode QR dengan ponsel",
        "identity_title": "Data Pengunjung",
        "name": "Nama lengkap",
        "nik": "NIK (16 digit, lihat KTP)",
        "phone": "Nomor HP (tidak wajib)",
        "delete": "Hapus",
        "clear": "Kosongkan",
        "priority_title": "Layanan Prioritas & Persetujuan",
        "priority_question": "Apakah Anda termasuk prioritas?",
        "priority_none": "Tidak",
        "priority_lansia": "Lansia",
        "priority_disabilitas": "Disabilitas",
        "priority_ibu_hamil": "Ibu Hamil",
        "priority_anak": "Anak",
        "consent_text": (
            "Saya setuju data saya (nama, NIK, nomor HP) digunakan hanya untuk pelayanan ini, "
            "sesuai UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi."
        ),
        "questions_title_guest": "Keperluan Kunjungan",
        "questions_title_complaint": "Pengaduan",
        "purpose": "Keperluan",
        "meet": "Ingin bertemu",
        "institution": "Asal instansi / lembaga (tidak wajib)",
        "group_size": "Jumlah orang dalam rombongan",
        "group_hint": "Rombongan: cukup KTP ketua rombongan",
        "category": "Jenis pengaduan",
        "description": "Ceritakan singkat pengaduan Anda",
        "confirm_title": "Periksa Data Anda",
        "confirm_service": "Layanan",
        "confirm_name": "Nama",
        "confirm_nik": "NIK",
        "confirm_phone": "Nomor HP",
        "confirm_priority": "Prioritas",
        "take_ticket": "Ambil Tiket",
        "submitting": "Sedang memproses…",
        "ticket_title": "Nomor Antrean Anda",
        "ticket_people_ahead": "{n} orang di depan Anda",
        "ticket_wait": "Perkiraan menunggu ± {n} menit",
        "ticket_time": "Diambil pukul {t} WIB",
        "ticket_qr_hint": "Pindai untuk melihat status antrean",
        "ticket_printing": "Mencetak tiket…",
        "ticket_printed": "Tiket sudah dicetak. Silakan ambil di bawah.",
        "offline": "Server tidak dapat dihubungi. Mencoba lagi…",
        "offline_retry_in": "Mencoba lagi dalam {n} detik…",
        "printer_offline": (
            "Printer tidak terhubung. Tiket Anda tetap berlaku — silakan foto layar ini "
            "atau catat nomor Anda."
        ),
        "printer_paper_out": (
            "Kertas printer habis. Tiket Anda tetap berlaku — silakan foto layar ini "
            "atau catat nomor Anda."
        ),
        "printer_error": (
            "Printer bermasalah. Tiket Anda tetap berlaku — silakan foto layar ini "
            "atau catat nomor Anda."
        ),
        "staff_notified": "Petugas sudah diberi tahu.",
        # NIK live feedback
        "nik_empty": "Ketik 16 digit NIK sesuai KTP",
        "nik_not_digits": "NIK hanya boleh berisi angka",
        "nik_too_short": "Kurang {n} digit lagi",
        "nik_too_long": "NIK terlalu panjang: lebih {n} digit (harus 16 digit)",
        "nik_invalid_province": "Kode provinsi {code} tidak dikenal — periksa 2 digit pertama",
        "nik_invalid_regency": "Kode kabupaten/kota {code} tidak dikenal — periksa 4 digit pertama",
        "nik_invalid_birth_date": "Tanggal lahir pada NIK tidak valid — periksa digit ke-7 s.d. 12",
        "nik_invalid": "NIK tidak valid",
        "nik_ok": "NIK sesuai format",
        # field validation
        "err_service_required": "Layanan: pilih salah satu layanan",
        "err_service_closed": "Layanan: layanan ini sedang tutup",
        "err_name_required": "Nama: wajib diisi",
        "err_name_short": "Nama: minimal 2 huruf",
        "err_name_long": "Nama: maksimal 100 huruf",
        "err_name_chars": "Nama: hanya huruf, spasi, titik, koma, apostrof dan tanda hubung",
        "err_nik": "NIK: {message}",
        "err_phone": "Nomor HP: 9–15 angka, diawali 0 atau +62",
        "err_priority": "Prioritas: pilihan tidak dikenal",
        "err_consent": "Persetujuan: wajib dicentang untuk melanjutkan (UU 27/2022)",
        "err_purpose_required": "Keperluan: wajib dipilih",
        "err_meet_required": "Ingin bertemu: wajib dipilih",
        "err_institution_long": "Asal instansi: maksimal 100 huruf",
        "err_group_size": "Jumlah rombongan: 1 sampai 50 orang",
        "err_category_required": "Jenis pengaduan: wajib dipilih",
        "err_description_short": "Isi pengaduan: minimal 10 huruf",
        "err_description_long": "Isi pengaduan: maksimal 500 huruf",
        # accessibility bar (every screen)
        "a11y_voice_on": "Suara: nyala",
        "a11y_voice_off": "Suara: mati",
        "a11y_repeat": "Dengar lagi",
        "a11y_large_on": "Huruf besar",
        "a11y_large_off": "Huruf biasa",
        # spoken prompts (the kiosk's voice is Indonesian whatever the screen language)
        "say_welcome": (
            "Selamat datang di Kecamatan Genteng. Untuk mengambil nomor antrean, sentuh tombol "
            "hijau besar di tengah layar."
        ),
        "say_services": "Pilih layanan yang Anda perlukan.",
        "say_service_item": "{name}, huruf {letter}.",
        "say_services_closed": "Maaf, {message}",
        "say_requirements": (
            "Ini yang perlu dibawa untuk layanan {service}. Jika sudah siap, sentuh tombol "
            "hijau Lanjut di kanan bawah."
        ),
        "say_identity": (
            "Ketik nama lengkap dan enam belas angka NIK dari KTP Anda dengan tombol angka. "
            "Nomor HP boleh dikosongkan. Petugas siap membantu."
        ),
        "say_consent": (
            "Jika Anda lansia, penyandang disabilitas, ibu hamil, atau membawa anak, sentuh "
            "tombolnya. Lalu sentuh kotak persetujuan, dan tombol hijau Lanjut."
        ),
        "say_questions": "Pilih keperluan Anda dengan menyentuh salah satu tombol, lalu Lanjut.",
        "say_confirm": "Periksa data Anda. Jika sudah benar, sentuh tombol hijau Ambil Tiket.",
        "say_ticket": "Nomor antrean Anda, {number}.",
        "say_ticket_counter": "Silakan menuju loket {counter}.",
        "say_ticket_wait": (
            "{n} orang di depan Anda. Silakan duduk. Nomor Anda akan dipanggil dan tampil di "
            "layar televisi."
        ),
    },
    "en": {
        "office": "Kecamatan Genteng",
        "welcome_title": "Welcome",
        "welcome_subtitle": "to the Genteng Sub-district Service Hall",
        "welcome_hint": "Touch the button below to take a queue number",
        "start": "Take a Queue Number",
        "switch_language": "Bahasa Indonesia",
        "back": "Back",
        "next": "Next",
        "home": "Done",
        "services_title": "Choose a Service",
        "waiting_people": "{n} waiting",
        "estimated_wait": "± {n} min",
        "closed": "Closed",
        "requirements_title": "What to bring",
        "requirements_duration": "Expected time at the counter: ± {n} minutes",
        "requirements_duration_unknown": "Time at the counter: as needed",
        "requirements_demo": "(example, please ask staff)",
        "requirements_steps": "Service steps",
        "requirements_standard": "Service standard: scan the QR code with your phone",
        "identity_title": "Your Details",
        "name": "Full name",
        "nik": "NIK (16 digits, see your KTP)",
        "phone": "Phone number (optional)",
        "delete": "Delete",
        "clear": "Clear",
        "priority_title": "Priority Service & Consent",
        "priority_question": "Do you need priority service?",
        "priority_none": "No",
        "priority_lansia": "Elderly",
        "priority_disabilitas": "Disability",
        "priority_ibu_hamil": "Pregnant",
        "priority_anak": "Child",
        "consent_text": (
            "I agree that my data (name, NIK, phone) is used only for this service, "
            "under Law No. 27 of 2022 on Personal Data Protection."
        ),
        "questions_title_guest": "Purpose of Visit",
        "questions_title_complaint": "Complaint",
        "purpose": "Purpose",
        "meet": "Who to meet",
        "institution": "Institution (optional)",
        "group_size": "People in your group",
        "group_hint": "Groups: only the leader's KTP is needed",
        "category": "Kind of complaint",
        "description": "Briefly describe your complaint",
        "confirm_title": "Check Your Details",
        "confirm_service": "Service",
        "confirm_name": "Name",
        "confirm_nik": "NIK",
        "confirm_phone": "Phone",
        "confirm_priority": "Priority",
        "take_ticket": "Take Ticket",
        "submitting": "Processing…",
        "ticket_title": "Your Queue Number",
        "ticket_people_ahead": "{n} people ahead of you",
        "ticket_wait": "Estimated wait ± {n} minutes",
        "ticket_time": "Taken at {t} WIB",
        "ticket_qr_hint": "Scan to follow your queue status",
        "ticket_printing": "Printing your ticket…",
        "ticket_printed": "Your ticket has been printed. Please take it below.",
        "offline": "The server cannot be reached. Retrying…",
        "offline_retry_in": "Retrying in {n} seconds…",
        "printer_offline": (
            "The printer is not connected. Your ticket is still valid — please photograph "
            "this screen or write down your number."
        ),
        "printer_paper_out": (
            "The printer is out of paper. Your ticket is still valid — please photograph "
            "this screen or write down your number."
        ),
        "printer_error": (
            "The printer has a problem. Your ticket is still valid — please photograph "
            "this screen or write down your number."
        ),
        "staff_notified": "Staff have been notified.",
        "nik_empty": "Type the 16 digits of your NIK",
        "nik_not_digits": "NIK may contain digits only",
        "nik_too_short": "{n} more digits",
        "nik_too_long": "NIK too long: {n} digits too many (must be 16)",
        "nik_invalid_province": "Unknown province code {code} — check the first 2 digits",
        "nik_invalid_regency": "Unknown regency/city code {code} — check the first 4 digits",
        "nik_invalid_birth_date": "Invalid birth date in NIK — check digits 7 to 12",
        "nik_invalid": "Invalid NIK",
        "nik_ok": "NIK format is correct",
        "err_service_required": "Service: choose a service",
        "err_service_closed": "Service: this service is closed",
        "err_name_required": "Name: required",
        "err_name_short": "Name: at least 2 letters",
        "err_name_long": "Name: at most 100 letters",
        "err_name_chars": "Name: letters, spaces, dots, commas, apostrophes and hyphens only",
        "err_nik": "NIK: {message}",
        "err_phone": "Phone: 9–15 digits, starting with 0 or +62",
        "err_priority": "Priority: unknown choice",
        "err_consent": "Consent: required to continue (Law 27/2022)",
        "err_purpose_required": "Purpose: required",
        "err_meet_required": "Who to meet: required",
        "err_institution_long": "Institution: at most 100 letters",
        "err_group_size": "Group size: 1 to 50 people",
        "err_category_required": "Kind of complaint: required",
        "err_description_short": "Complaint: at least 10 letters",
        "err_description_long": "Complaint: at most 500 letters",
        "a11y_voice_on": "Sound: on",
        "a11y_voice_off": "Sound: off",
        "a11y_repeat": "Listen again",
        "a11y_large_on": "Large text",
        "a11y_large_off": "Normal text",
    },
}

# Choice lists shown as buttons; the value sent to the server is the Indonesian label.
GUEST_PURPOSES = ("Koordinasi / rapat", "Undangan", "Kunjungan kerja", "Konsultasi", "Lainnya")
GUEST_MEET = (
    "Camat",
    "Sekretaris Camat",
    "Seksi Pemerintahan & Trantib",
    "Seksi Pelayanan Masyarakat",
    "Seksi Kesejahteraan Rakyat",
    "Lainnya",
)
COMPLAINT_CATEGORIES = (
    "Pelayanan lambat",
    "Sikap petugas",
    "Persyaratan / biaya",
    "Sarana & prasarana",
    "Lainnya",
)


def t(key: str, language: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """Return the string for ``key`` in ``language`` (falling back to Indonesian)."""
    table = STRINGS.get(language, STRINGS[DEFAULT_LANGUAGE])
    text = table.get(key) or STRINGS[DEFAULT_LANGUAGE][key]
    return text.format(**values) if values else text
