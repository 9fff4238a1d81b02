package dev.porter.http.internal.files;

/**
 * The forms and links a listing offers above its table: upload files, create a folder, download the folder as a
 * zip. Plain HTML forms (POST {@code multipart/form-data} to the folder's own URL): they work without script, so
 * the page's CSP can forbid every script; its {@code form-action 'self'} keeps them pointed at this server.
 */
final class ListingForms {

    private ListingForms() {
    }

    static void actions(StringBuilder sb, DirectoryListing.Actions a, ListingSort sort) {
        if (!a.upload() && !a.mkdir() && !a.archive()) return;
        sb.append("<div class=\"actions\">\n");
        if (a.upload()) {
            sb.append("<form class=\"upload\" method=\"post\" enctype=\"multipart/form-data\">")
                    .append("<input type=\"file\" name=\"files\" multiple required aria-label=\"Files to upload\">")
                    .append("<button type=\"submit\">Upload</button></form>\n");
        }
        if (a.mkdir()) {
            sb.append("<form class=\"mkdir\" method=\"post\" enctype=\"multipart/form-data\">")
                    .append("<input type=\"text\" name=\"mkdir\" required placeholder=\"New folder\" aria-label=\"New folder name\">")
                    .append("<button type=\"submit\">Create folder</button></form>\n");
        }
        if (a.archive()) {
            sb.append("<a class=\"button\" href=\"?download=zip\" download>Download as .zip</a>\n");
        }
        sb.append("</div>\n");
    }
}
