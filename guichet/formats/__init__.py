"""Date and number formats as Belgians write them, where Django's defaults follow another country."""
